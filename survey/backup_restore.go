package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// RestoreReport says what a restore replaced and with what.
type RestoreReport struct {
	Backup   *BackupReport
	Previous string // where the replaced database was kept, or "" when there was none
}

// Restore replaces the database at dbPath with a verified copy of backup.
// It refuses while any connection has dbPath open (stop the server first),
// and when the key file at keyPath is missing or is not the one the backup
// was sealed with (ErrKeyFile: the operator restores the key file from its
// own backup first), and keeps the previous file as dbPath.bak-<UTC time>.
// Open the store afterwards: it applies migrations newer than the backup.
func Restore(ctx context.Context, dbPath, keyPath, backup string, now time.Time) (*RestoreReport, error) {
	rep, err := VerifyBackup(ctx, backup)
	if err != nil {
		return nil, err
	}
	if err := CheckKeyFile(ctx, backup, keyPath); err != nil {
		return nil, fmt.Errorf("survey: restore: %w", err)
	}
	if rep.SchemaVersion > latestMigration() {
		return nil, fmt.Errorf("survey: restore: the backup has schema version %d, newer than this program's %d; use a newer integritas", rep.SchemaVersion, latestMigration())
	}
	out := &RestoreReport{Backup: rep}
	if _, err := os.Stat(dbPath); err == nil {
		prev, err := setAside(ctx, dbPath, now)
		if err != nil {
			return nil, err
		}
		out.Previous = prev
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("survey: restore: %w", err)
	}
	tmp := fmt.Sprintf("%s.restore-%d", dbPath, now.UnixNano())
	if err := copyFile(backup, tmp); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("survey: restore: %w", err)
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("survey: restore: %w", err)
	}
	syncDir(filepath.Dir(dbPath))
	return out, nil
}

// setAside checkpoints the current database into its main file and renames
// it to dbPath.bak-<time>, refusing when it is in use.
func setAside(ctx context.Context, dbPath string, now time.Time) (string, error) {
	if err := checkNotInUse(dbPath); err != nil {
		return "", err
	}
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?_busy_timeout=1000")
	if err != nil {
		return "", fmt.Errorf("survey: restore: %w", err)
	}
	_, err = db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	db.Close()
	if err != nil {
		return "", fmt.Errorf("survey: restore: checkpoint %s: %w", dbPath, err)
	}
	prev := dbPath + ".bak-" + now.UTC().Format("20060102T150405Z")
	if _, err := os.Stat(prev); err == nil {
		return "", fmt.Errorf("survey: restore: %s already exists; wait a second and try again", prev)
	}
	if err := os.Rename(dbPath, prev); err != nil {
		return "", fmt.Errorf("survey: restore: %w", err)
	}
	// After a truncating checkpoint and the last close these are empty or
	// gone; stale ones must not be replayed onto the restored file.
	os.Remove(dbPath + "-wal")
	os.Remove(dbPath + "-shm")
	return prev, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// latestMigration is the highest embedded migration number.
func latestMigration() int {
	names, _ := migrations.ReadDir("migrations")
	n := 0
	for _, e := range names {
		var v int
		if _, err := fmt.Sscanf(e.Name(), "%d_", &v); err == nil && v > n {
			n = v
		}
	}
	return n
}
