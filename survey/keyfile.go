package survey

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"

	"integritas/seal"
)

// ErrKeyFile means the key file is missing or is not the one the database
// was sealed with; the message says which file to put where.
var ErrKeyFile = errors.New("survey: key file")

// keyTagPurpose names the subkey whose tag is kept in key_check.
const keyTagPurpose = "key-check"

// keyTag is the tag key_check keeps of a key.
func keyTag(k *seal.Key) []byte { return k.Derive(keyTagPurpose).MAC([]byte("integritas key check")) }

// loadKey loads the key file, or creates it for a database that has never
// had one, and checks it against the tag the database keeps: a database
// restored without its key file, or opened with another one, is refused
// rather than sealed under a new key that would make its pool unreadable.
func (s *Store) loadKey(ctx context.Context) error {
	var tag []byte
	err := s.w.QueryRowContext(ctx, `SELECT tag FROM key_check WHERE id = 1`).Scan(&tag)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read key check: %w", err)
	}
	if _, statErr := os.Stat(s.keyPath); errors.Is(statErr, fs.ErrNotExist) && tag != nil {
		return fmt.Errorf("%w %s is missing, and this database's sealed answers, hours and drafts need it: "+
			"put the key file backed up with this database there (or name it with --key-file); without it they cannot be read: %w",
			ErrKeyFile, s.keyPath, fs.ErrNotExist)
	}
	if s.key, err = seal.LoadOrCreate(s.keyPath); err != nil {
		return err
	}
	want := keyTag(s.key)
	switch {
	case tag == nil:
		if _, err := s.w.ExecContext(ctx, `INSERT INTO key_check (id, tag) VALUES (1, ?)`, want); err != nil {
			return fmt.Errorf("write key check: %w", err)
		}
	case !bytes.Equal(tag, want):
		return fmt.Errorf("%w %s does not belong to this database (it was sealed with another key file): "+
			"use the key file backed up with this database", ErrKeyFile, s.keyPath)
	}
	s.poolSeal = s.key.Derive("pool").Sealer()
	s.hourSeal = s.key.Derive("hour").Sealer()
	s.draftIDKey = s.key.Derive("draft-id")
	return s.sealClearHours(ctx)
}

// CheckKeyFile reports whether the key file at keyPath is the one a
// database file (a backup) was sealed with, without opening it for writing.
func CheckKeyFile(ctx context.Context, dbPath, keyPath string) error {
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro&immutable=1")
	if err != nil {
		return fmt.Errorf("survey: check key file: %w", err)
	}
	defer db.Close()
	var tag []byte
	err = db.QueryRowContext(ctx, `SELECT tag FROM key_check WHERE id = 1`).Scan(&tag)
	if err != nil {
		return nil // older than the key check, or never opened: nothing sealed to lose
	}
	k, err := seal.Load(keyPath)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w %s is missing: %s was sealed with a key file; put the key file backed up with it there "+
			"(or name it with --key-file) before restoring: %w", ErrKeyFile, keyPath, dbPath, fs.ErrNotExist)
	}
	if err != nil {
		return fmt.Errorf("%w %s: %w", ErrKeyFile, keyPath, err)
	}
	if !bytes.Equal(tag, k.Derive(keyTagPurpose).MAC([]byte("integritas key check"))) {
		return fmt.Errorf("%w %s does not belong to %s (it was sealed with another key file): "+
			"use the key file backed up with it", ErrKeyFile, keyPath, dbPath)
	}
	return nil
}

// hourAD binds a sealed hour to its response.
func hourAD(periodID, id int64) []byte {
	return []byte("hour|" + strconv.FormatInt(periodID, 10) + "|" + strconv.FormatInt(id, 10))
}

// dayOnly is the clear submitted_hour of a response: its day, hour zero.
func dayOnly(day string) string { return day + "T00" }

// sealClearHours seals the hours of responses stored before hours were
// sealed, once, and leaves their day in the clear.
func (s *Store) sealClearHours(ctx context.Context) error {
	var n int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM responses WHERE hour_sealed IS NULL`).Scan(&n); err != nil {
		return fmt.Errorf("seal hours: %w", err)
	}
	if n == 0 {
		return nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, period_id, submitted_hour FROM responses WHERE hour_sealed IS NULL`)
		if err != nil {
			return err
		}
		type row struct {
			id, period int64
			hour       string
		}
		var rs []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.period, &r.hour); err != nil {
				rows.Close()
				return err
			}
			rs = append(rs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		up, err := tx.PrepareContext(ctx, `UPDATE responses SET hour_sealed = ?, submitted_hour = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer up.Close()
		for _, r := range rs {
			if _, err := up.ExecContext(ctx, s.hourSeal.Seal([]byte(r.hour), hourAD(r.period, r.id)), dayOnly(r.hour[:10]), r.id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seal hours: %w", err)
	}
	s.truncateWAL(ctx)
	return nil
}
