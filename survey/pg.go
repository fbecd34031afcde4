package survey

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	neturl "net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// IsPostgres reports whether a --db value names a PostgreSQL database
// (a postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openPostgres opens a database/sql pool on a PostgreSQL URL whose
// connections accept the store's SQL as written for SQLite: "?" and "?N"
// placeholders become "$N" (rebind). One text of every statement serves
// both engines; what differs between them is in the migrations.
func openPostgres(url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(rebindConnector{stdlib.GetConnector(*cfg)}), nil
}

type rebindConnector struct{ driver.Connector }

func (c rebindConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{conn.(*stdlib.Conn)}, nil
}

// rebindConn is pgx's connection with every statement's placeholders
// rewritten; it forwards each optional interface database/sql looks for.
type rebindConn struct{ c *stdlib.Conn }

func (r *rebindConn) Prepare(q string) (driver.Stmt, error) { return r.c.Prepare(rebind(q)) }
func (r *rebindConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return r.c.PrepareContext(ctx, rebind(q))
}
func (r *rebindConn) Close() error              { return r.c.Close() }
func (r *rebindConn) Begin() (driver.Tx, error) { return r.c.Begin() } //nolint:staticcheck // driver.Conn requires it
func (r *rebindConn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	return r.c.BeginTx(ctx, o)
}
func (r *rebindConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return r.c.ExecContext(ctx, rebind(q), args)
}
func (r *rebindConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return r.c.QueryContext(ctx, rebind(q), args)
}
func (r *rebindConn) Ping(ctx context.Context) error { return r.c.Ping(ctx) }

// CheckNamedValue binds a Go bool as 0 or 1, as go-sqlite3 does: the
// schema keeps flags as integers on both engines.
func (r *rebindConn) CheckNamedValue(v *driver.NamedValue) error {
	if b, ok := v.Value.(bool); ok {
		v.Value = int64(0)
		if b {
			v.Value = int64(1)
		}
	}
	return r.c.CheckNamedValue(v)
}
func (r *rebindConn) ResetSession(ctx context.Context) error { return r.c.ResetSession(ctx) }
func (r *rebindConn) IsValid() bool                          { return !r.c.Conn().IsClosed() }

var _ interface {
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.NamedValueChecker
	driver.SessionResetter
	driver.Validator
} = (*rebindConn)(nil)

// rebind rewrites SQLite's "?" and "?N" placeholders as PostgreSQL's "$N",
// leaving quoted text, quoted names and comments alone.
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		switch c := q[i]; c {
		case '\'', '"':
			j := strings.IndexByte(q[i+1:], c)
			if j < 0 {
				b.WriteString(q[i:])
				i = len(q)
				continue
			}
			b.WriteString(q[i : i+j+2])
			i += j + 1
		case '-':
			if strings.HasPrefix(q[i:], "--") {
				j := strings.IndexByte(q[i:], '\n')
				if j < 0 {
					j = len(q) - i - 1
				}
				b.WriteString(q[i : i+j+1])
				i += j
				continue
			}
			b.WriteByte(c)
		case '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(q[i+1 : j])
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// pgCode is the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

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
	s := &Store{path: url, pg: true, now: time.Now, minFree: 64 << 20, commitDelay: DefaultCommitDelay}
	for _, o := range opts {
		o(s)
	}
	if s.keyPath == "" {
		return nil, errors.New("survey: open: a PostgreSQL store needs its key file named (--key-file)")
	}
	db, err := openPostgres(url)
	if err != nil {
		return nil, fmt.Errorf("survey: open: %w", redactURL(err, url))
	}
	n := max(8, 2*runtime.NumCPU())
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	s.w, s.r, s.look = db, db, db
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("survey: open: %w", redactURL(err, url))
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

// redactURL keeps a password in the URL out of an error message.
func redactURL(err error, raw string) error {
	u, perr := neturl.Parse(raw)
	if perr != nil || u.User == nil {
		return err
	}
	if pw, ok := u.User.Password(); ok && pw != "" && strings.Contains(err.Error(), pw) {
		return errors.New(strings.ReplaceAll(err.Error(), pw, "xxxxx"))
	}
	return err
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
