package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"time"

	"integritas/internal/pgdb"
)

// IsPostgres reports whether a --db value names a PostgreSQL database
// (a postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(db string) bool { return pgdb.IsURL(db) }

// writersLock is the advisory lock every write transaction takes first
// (lockWriters): PostgreSQL's writers then follow one another as SQLite's
// do under BEGIN IMMEDIATE, on every node sharing the database, so each
// read-then-write in a transaction (an invitation still unused, a pool's
// size, a period still open) holds until its commit.
const writersLock = 0x1e7e_9a17

// lockWriters takes writersLock for the rest of tx.
func lockWriters(ctx context.Context, tx txQ) error {
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", writersLock)
	return err
}

// openPostgresStore is Open for a PostgreSQL URL. The key file must be
// named (WithKeyFile): there is no database file to put it beside.
func openPostgresStore(ctx context.Context, url string, opts []StoreOption) (*Store, error) {
	s := &Store{path: url, pg: true, runner: newRunner(), now: time.Now, minFree: 64 << 20, commitDelay: DefaultCommitDelay}
	for _, o := range opts {
		o(s)
	}
	if s.keyPath == "" {
		return nil, errors.New("survey: open: a PostgreSQL store needs its key file named (--key-file)")
	}
	db, err := pgdb.Open(url)
	if err != nil {
		return nil, fmt.Errorf("survey: open: %w", pgdb.RedactErr(err, url))
	}
	n := max(8, 2*runtime.NumCPU())
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	s.w, s.r, s.look = db, db, db
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("survey: open: %w", pgdb.RedactErr(err, url))
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.loadKey(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("survey: open: %w", err)
	}
	return s, nil
}

// migratePostgres applies the PostgreSQL migrations newer than the
// database's schema_version, each in its own transaction with the version
// bump, under writersLock so that two nodes starting at once migrate once.
// A new database starts at the consolidated schema of version 17.
func (s *Store) migratePostgres(ctx context.Context) error {
	files, err := migrationFiles(migrations, "migrations/postgres")
	if err != nil {
		return err
	}
	for _, m := range files {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version bigint NOT NULL)`); err != nil {
				return err
			}
			var current int
			err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&current)
			if errors.Is(err, sql.ErrNoRows) {
				_, err = tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`)
			}
			if err != nil || m.num <= current {
				return err
			}
			body, err := fs.ReadFile(migrations, m.path)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, m.num)
			return err
		})
		if err != nil {
			return fmt.Errorf("survey: migration %s: %w", m.path, err)
		}
	}
	return nil
}
