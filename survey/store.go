package survey

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"integritas/internal/pgdb"
	"integritas/seal"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Store is the SQLite database: one writer connection (SQLite has one writer
// anyway, and a single connection makes BEGIN IMMEDIATE queueing explicit) and
// a read-only pool on the same file for queries that may run alongside writes.
type Store struct {
	path   string
	pg     bool   // a PostgreSQL database (pg.go): w, r and look are one pool
	runner string // this process's random name on the packet builds it runs (packet_job.go)
	w      *sql.DB
	r      *sql.DB
	look   *sql.DB // point lookups of the respondent pages (openLookups)
	now    func() time.Time

	instruments sync.Map // instrument id -> *Instrument, parsed once

	keyPath string    // the key file held outside the database (WithKeyFile; default <path>.key)
	key     *seal.Key // its master key

	poolSeal    *seal.Sealer  // pooled submissions (pool.go)
	hourSeal    *seal.Sealer  // responses' submission hours
	draftIDKey  *seal.Key     // names a draft by its token's hash (draft.go)
	poolRelease int           // WithPoolRelease: release everything once this many wait; 0: the 2k rule
	commitDelay time.Duration // WithCommitDelay

	// commitObserver, when set (WithCommitObserver), runs after every
	// transaction the store commits.
	commitObserver func()

	skipQuickCheck bool        // WithoutQuickCheck: very large files
	minFree        uint64      // WithMinFree: bytes below which Headroom refuses
	corrupt        atomic.Bool // a corrupt page was met: refuse writes (Note)

	// afterStatement, when set by a test, runs between the statements of a
	// bulk write, so a crash there can be staged.
	afterStatement func(n int)
}

// StoreOption changes how a Store is opened.
type StoreOption func(*Store)

// WithClock injects the clock used for timestamps the store writes.
func WithClock(now func() time.Time) StoreOption { return func(s *Store) { s.now = now } }

// WithKeyFile sets the key file held outside the database (default: the
// database path plus ".key"). It is created (mode 0400) when missing.
func WithKeyFile(path string) StoreOption { return func(s *Store) { s.keyPath = path } }

// WithPoolRelease releases a group's pool as soon as n submissions wait,
// all of them, instead of waiting for 2k and keeping k back. Tests use 1 so
// an answer is in responses right after it is acknowledged; n = 1 links
// every response to its invitation and serves as the attack suite's control.
func WithPoolRelease(n int) StoreOption { return func(s *Store) { s.poolRelease = n } }

// DefaultCommitDelay is how long a busy committer waits for more
// submissions to share a transaction (see Committer).
const DefaultCommitDelay = 2 * time.Millisecond

// WithCommitDelay sets how long a busy committer waits for more
// submissions before it commits (0: never waits). A respondent who finds
// the writer idle never waits.
func WithCommitDelay(d time.Duration) StoreOption { return func(s *Store) { s.commitDelay = d } }

// WithCommitObserver runs fn after every transaction the store commits
// (and after each WAL truncation), on the writing goroutine: the anonymity
// attack suite copies the database and its WAL there, as an insider could.
func WithCommitObserver(fn func()) StoreOption { return func(s *Store) { s.commitObserver = fn } }

// WithoutQuickCheck skips PRAGMA quick_check at Open, for database files so
// large that reading every page would hold up the start.
func WithoutQuickCheck() StoreOption { return func(s *Store) { s.skipQuickCheck = true } }

// WithMinFree sets the free disk space below which Headroom refuses work
// that can wait (default 64 MiB).
func WithMinFree(bytes uint64) StoreOption { return func(s *Store) { s.minFree = bytes } }

// Open opens (creating with mode 0600 if needed) and migrates the database at
// path, and loads (or creates) its key file.
func Open(ctx context.Context, path string, opts ...StoreOption) (*Store, error) {
	if path == "" {
		return nil, errors.New("survey: open: empty database path")
	}
	if IsPostgres(path) {
		return openPostgresStore(ctx, path, opts)
	}
	// Create the file ourselves so that it (and the -wal/-shm files SQLite
	// derives from it) is readable by the owner only.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("survey: open %s: %w", path, err)
	}
	f.Close()

	s := &Store{path: path, runner: newRunner(), now: time.Now, minFree: 64 << 20, commitDelay: DefaultCommitDelay}
	for _, o := range opts {
		o(s)
	}
	if s.keyPath == "" {
		s.keyPath = path + ".key"
	}
	w := openWriter(path)
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	s.w = w
	// A malformed file is refused before anything is written into it (the
	// migrations included); restoring a backup is the operator's call.
	if !s.skipQuickCheck {
		if err := s.QuickCheck(ctx); err != nil {
			w.Close()
			return nil, fmt.Errorf("survey: open %s: %w (restore a backup; --skip-quick-check starts without this check)", path, err)
		}
	}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.loadKey(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("survey: open %s: %w", path, err)
	}
	r := openReaders(path)
	keepFreedMemory()
	n := max(4, runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.r = r
	s.look = openLookups(path)
	s.look.SetMaxOpenConns(n)
	s.look.SetMaxIdleConns(n)
	return s, nil
}

// dsn builds the go-sqlite3 connection string with the pragmas of style.md §6:
// WAL, FULL synchronous (an acknowledged write survives power loss), foreign
// keys, and BEGIN IMMEDIATE so writers queue instead of failing on upgrade.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "FULL")
	// Deleted rows are overwritten, not left in free space: a deleted
	// draft held an invitation id beside the answers later submitted, and
	// its bytes in the file would join the two (anonymity_audit_test.go).
	q.Set("_secure_delete", "on")
	// Statements run as raw SQL (a period's k, an open link's checks,
	// savepoints) are prepared once per connection, not once per use.
	q.Set("_stmt_cache_size", "32")
	if readOnly {
		q.Set("mode", "ro")
		q.Set("_query_only", "on")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Close closes the pools.
func (s *Store) Close() error {
	if s.pg {
		return s.w.Close()
	}
	return errors.Join(s.look.Close(), s.r.Close(), s.w.Close())
}

// Key is the master key of the key file held outside the database; derive a
// subkey per purpose (key.Derive) for anything the database holder must not read.
func (s *Store) Key() *seal.Key { return s.key }

// KeyPath is the key file's path (for backup instructions and messages).
func (s *Store) KeyPath() string { return s.keyPath }

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Ping checks that the database answers reads.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("survey: ping: %w", err)
	}
	return nil
}

// migrate applies every embedded migration newer than PRAGMA user_version,
// each in its own transaction together with the version bump.
func (s *Store) migrate(ctx context.Context) error {
	if s.pg {
		return s.migratePostgres(ctx)
	}
	files, err := migrationFiles(migrations, "migrations")
	if err != nil {
		return err
	}
	var current int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("survey: read schema version: %w", err)
	}
	for _, m := range files {
		if m.num <= current {
			continue
		}
		body, err := fs.ReadFile(migrations, m.path)
		if err != nil {
			return fmt.Errorf("survey: migration %s: %w", m.path, err)
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.num))
			return err
		})
		if err != nil {
			return fmt.Errorf("survey: migration %s: %w", m.path, err)
		}
		current = m.num
	}
	return nil
}

type migrationFile struct {
	num  int
	path string
}

// migrationFiles lists the migrations in order of number. Two files with one
// number fail: the runner would apply the first and skip the second for ever
// (two engineers picking the same number is the usual way to get there).
func migrationFiles(fsys fs.FS, dir string) ([]migrationFile, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, fmt.Errorf("survey: migrations: %w", err)
	}
	sort.Strings(names)
	var files []migrationFile
	seen := map[int]string{}
	for _, name := range names {
		base := strings.TrimPrefix(name, dir+"/")
		num, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || num <= 0 {
			return nil, fmt.Errorf("survey: migration %s: name must start with a positive number", base)
		}
		if prev, ok := seen[num]; ok {
			return nil, fmt.Errorf("survey: migrations %s and %s share the number %d", prev, base, num)
		}
		seen[num] = base
		files = append(files, migrationFile{num: num, path: name})
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].num < files[j].num })
	return files, nil
}

// SchemaVersion reports the applied migration number.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	q := "PRAGMA user_version"
	if s.pg {
		q = "SELECT version FROM schema_version"
	}
	var v int
	err := s.r.QueryRowContext(ctx, q).Scan(&v)
	return v, err
}

// tx runs fn in a write transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if s.pg {
		if err := lockWriters(ctx, tx); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.observe()
	return nil
}

// newRunner names this process on the packet builds it runs.
func newRunner() string { return rand.Text()[:16] }

// insertID runs an INSERT and returns the id of the row it stored
// (RETURNING: pgx's database/sql driver has no LastInsertId).
func insertID(ctx context.Context, q txQ, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	if pgdb.Code(err) == "23505" { // unique_violation
		return true
	}
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// stamp formats t as stored: UTC, second precision, RFC 3339.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// hourOf formats t as a response's submitted hour.
func hourOf(t time.Time) string { return t.UTC().Format("2006-01-02T15") }
