package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// ErrInUse means another connection (a running server) has the database
// open, so it cannot be replaced now.
var ErrInUse = errors.New("survey: database in use")

// BackupReport describes a verified backup file.
type BackupReport struct {
	Path          string
	Bytes         int64
	SchemaVersion int
	Responses     int64
	Users         int64
	Periods       int64
	AuditEntries  int64
}

// ErrBackupPostgres refuses a file backup of a PostgreSQL store, which is
// backed up with PostgreSQL's own tools.
var ErrBackupPostgres = errors.New("survey: backup: a PostgreSQL store is backed up with pg_dump or a base backup (README, Operations), not by integritas")

// Backup writes a consistent snapshot of the database to dest while the
// store keeps serving (SQLite's VACUUM INTO reads one snapshot without
// blocking the writer), then verifies it. dest must not exist; it is
// created with mode 0600 and appears only once complete and verified.
func (s *Store) Backup(ctx context.Context, dest string) (*BackupReport, error) {
	if s.pg {
		return nil, ErrBackupPostgres
	}
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, fmt.Errorf("survey: backup: %w", err)
	}
	if _, err := os.Stat(dest); err == nil {
		return nil, fmt.Errorf("survey: backup: %s already exists; choose a new file name", dest)
	}
	tmp := fmt.Sprintf("%s.tmp-%d", dest, time.Now().UnixNano())
	// VACUUM INTO accepts an existing empty file: creating it first is how
	// the copy gets mode 0600.
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("survey: backup: %w", err)
	}
	f.Close()
	defer os.Remove(tmp) // a no-op once renamed
	// A connection of its own: the read pool is query-only, and the one
	// writer must stay free for answers while the copy runs.
	db, err := sql.Open("sqlite3", "file:"+s.path+"?"+url.Values{"_busy_timeout": {"5000"}}.Encode())
	if err != nil {
		return nil, fmt.Errorf("survey: backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return nil, fmt.Errorf("survey: backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return nil, fmt.Errorf("survey: backup: %w", err)
	}
	rep, err := VerifyBackup(ctx, tmp)
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dest); err != nil {
		return nil, fmt.Errorf("survey: backup: %w", err)
	}
	syncDir(filepath.Dir(dest))
	rep.Path = dest
	return rep, nil
}

// VerifyBackup opens a database file read-only, runs PRAGMA integrity_check
// and counts its main tables.
func VerifyBackup(ctx context.Context, path string) (*BackupReport, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("survey: verify backup: %w", err)
	}
	if !st.Mode().IsRegular() || st.Size() == 0 {
		return nil, fmt.Errorf("survey: verify backup %s: not a database file", path)
	}
	// immutable: no lock and no -wal/-shm files next to the copy.
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		return nil, fmt.Errorf("survey: verify backup: %w", err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil {
		return nil, fmt.Errorf("survey: verify backup %s: not a readable database: %w", path, err)
	}
	if check != "ok" {
		return nil, fmt.Errorf("survey: verify backup %s: integrity check failed: %s", path, check)
	}
	rep := &BackupReport{Path: path, Bytes: st.Size()}
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&rep.SchemaVersion); err != nil {
		return nil, fmt.Errorf("survey: verify backup: %w", err)
	}
	if rep.SchemaVersion < 1 {
		return nil, fmt.Errorf("survey: verify backup %s: not an Integritas database (schema version 0)", path)
	}
	err = db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM users),
		(SELECT count(*) FROM periods), (SELECT count(*) FROM audit_log)`).Scan(&rep.Responses, &rep.Users, &rep.Periods, &rep.AuditEntries)
	if err != nil {
		return nil, fmt.Errorf("survey: verify backup %s: missing tables: %w", path, err)
	}
	return rep, nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir makes a rename durable; best effort, as not every system can.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Stats are the database's running totals, for /metrics.
type Stats struct {
	Responses int64
	Users     int64
	Sessions  int64
}

// Stats counts stored responses, accounts and sessions.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM users), (SELECT count(*) FROM sessions)`).
		Scan(&st.Responses, &st.Users, &st.Sessions)
	if err != nil {
		return st, fmt.Errorf("survey: stats: %w", err)
	}
	return st, nil
}
