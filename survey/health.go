package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// Storage faults, checked with errors.Is. The SQLite errors they stand for
// are recognised by Corrupt and Full, which the HTTP layer maps to 503.
var (
	// ErrCorrupt means the database file is malformed: nothing more may be
	// written to it until an operator restores a backup.
	ErrCorrupt = errors.New("survey: database file is corrupt")
	// ErrDiskLow means the free space on the database's disk is below the
	// configured threshold, so work that can wait is refused.
	ErrDiskLow = errors.New("survey: free disk space below the threshold")
)

// Corrupt reports whether err says the database file is malformed.
func Corrupt(err error) bool {
	if errors.Is(err, ErrCorrupt) {
		return true
	}
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB)
}

// Full reports whether err is a full disk, an I/O error or the free-space
// threshold: a fault that may pass, so the client is asked to retry.
func Full(err error) bool {
	if errors.Is(err, ErrDiskLow) {
		return true
	}
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrFull || se.Code == sqlite3.ErrIoErr || se.Code == sqlite3.ErrCantOpen)
}

// isBusy reports whether err is SQLite's "database is locked" or "busy".
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// Note records a storage error seen anywhere: a corrupt file is remembered,
// so every later write is refused instead of going into the malformed file.
func (s *Store) Note(err error) {
	if Corrupt(err) {
		s.corrupt.Store(true)
	}
}

// IsCorrupt reports whether the database has been seen to be corrupt.
func (s *Store) IsCorrupt() bool { return s.corrupt.Load() }

// QuickCheck runs PRAGMA quick_check (every page and b-tree, without the
// slower index cross-checks) and returns ErrCorrupt naming its first finding.
func (s *Store) QuickCheck(ctx context.Context) error {
	var res string
	err := s.w.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&res)
	if err != nil && !Corrupt(err) {
		return fmt.Errorf("survey: quick_check: %w", err)
	}
	if err != nil || res != "ok" {
		s.corrupt.Store(true)
		return fmt.Errorf("%w: quick_check: %s%v", ErrCorrupt, res, errOrEmpty(err))
	}
	return nil
}

func errOrEmpty(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// coreTables are read by Health, one row each: the tables every page needs.
var coreTables = []string{"periods", "units", "period_units", "invitations", "responses", "users", "sessions", "audit_log", "deliveries"}

// Health is what /healthz reports.
type Health struct {
	Corrupt   bool   `json:"corrupt"`
	FreeBytes uint64 `json:"free_bytes"`
	MinFree   uint64 `json:"min_free_bytes"`
	Err       error  `json:"-"`
}

// OK reports whether the store can take answers now.
func (h Health) OK() bool { return h.Err == nil }

// Health reads one row of each core table and measures the free space of
// the database's disk; a corrupt page met on the way marks the store corrupt.
func (s *Store) Health(ctx context.Context) Health {
	h := Health{MinFree: s.minFree}
	for _, t := range coreTables {
		var one int
		err := s.r.QueryRowContext(ctx, "SELECT 1 FROM "+t+" LIMIT 1").Scan(&one)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			s.Note(err)
			h.Err = fmt.Errorf("survey: health: read %s: %w", t, err)
			break
		}
	}
	h.Corrupt = s.IsCorrupt()
	if h.Corrupt && h.Err == nil {
		h.Err = ErrCorrupt
	}
	if s.pg {
		// The disk is the database server's, watched by its operator.
		return h
	}
	free, err := freeBytes(filepath.Dir(s.path))
	h.FreeBytes = free
	if h.Err == nil && err != nil {
		h.Err = fmt.Errorf("survey: health: free space: %w", err)
	} else if h.Err == nil && free < s.minFree {
		h.Err = fmt.Errorf("%w: %d bytes free", ErrDiskLow, free)
	}
	return h
}

// Headroom refuses work that can wait (packet builds, drafts) when the
// disk's free space is below the threshold, or the file is corrupt, so the
// space left goes to answers that are submitted.
func (s *Store) Headroom() error {
	if s.IsCorrupt() {
		return ErrCorrupt
	}
	if s.pg {
		return nil
	}
	free, err := freeBytes(filepath.Dir(s.path))
	if err != nil {
		return fmt.Errorf("survey: free space: %w", err)
	}
	if free < s.minFree {
		return fmt.Errorf("%w: %d bytes free, %d wanted", ErrDiskLow, free, s.minFree)
	}
	return nil
}
