package survey

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Period statuses: a draft can be edited, an open period takes answers, a
// closed one is frozen.
const (
	StatusDraft  = "draft"
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// Period is one run of the survey (e.g. "SPI 2026").
type Period struct {
	ID         int64
	Code       string
	Name       string
	Instrument *Instrument
	Settings   json.RawMessage // method settings; validated by the analysis package
	OpensOn    string          // YYYY-MM-DD or ""
	ClosesOn   string          // YYYY-MM-DD or ""
	Status     string
	DeviceSalt []byte
	CreatedAt  time.Time
}

// Accepting reports whether the period takes answers at time now: it is open
// and now is within its dates (inclusive, in UTC), when they are set.
func (p *Period) Accepting(now time.Time) bool {
	if p.Status != StatusOpen {
		return false
	}
	day := now.UTC().Format(time.DateOnly)
	if p.OpensOn != "" && day < p.OpensOn {
		return false
	}
	return p.ClosesOn == "" || day <= p.ClosesOn
}

// NewPeriod describes a period to create.
type NewPeriod struct {
	Code       string
	Name       string
	Instrument []byte          // JSON definition; stored once per code and version
	Settings   json.RawMessage // nil means "{}" (all defaults)
	OpensOn    string
	ClosesOn   string
}

// CreatePeriod stores the instrument (or reuses an identical stored version)
// and creates the period as a draft.
func (s *Store) CreatePeriod(ctx context.Context, np NewPeriod) (*Period, error) {
	inst, err := LoadInstrument(np.Instrument)
	if err != nil {
		return nil, err
	}
	if np.Name == "" {
		np.Name = np.Code
	}
	if err := checkNames("period name", np.Name); err != nil {
		return nil, fmt.Errorf("survey: create period: %w", err)
	}
	settings := np.Settings
	if len(settings) == 0 {
		settings = json.RawMessage("{}")
	}
	salt := make([]byte, 32)
	rand.Read(salt)
	now := stamp(s.now())
	err = s.tx(ctx, func(tx *sql.Tx) error {
		instID, err := storeInstrument(ctx, tx, inst, np.Instrument, now)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO periods (code, name, instrument_id, settings, opens_on, closes_on, device_salt, created_at)
			VALUES (?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), ?, ?)`,
			np.Code, np.Name, instID, string(settings), np.OpensOn, np.ClosesOn, salt, now)
		return err
	})
	if isUnique(err) {
		return nil, fmt.Errorf("survey: create period %q: %w", np.Code, ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("survey: create period %q: %w", np.Code, err)
	}
	return s.Period(ctx, np.Code)
}

// storeInstrument returns the id of the stored instrument with the same code
// and version, refusing a different definition under a version already used.
func storeInstrument(ctx context.Context, tx *sql.Tx, inst *Instrument, raw []byte, now string) (int64, error) {
	var id int64
	var def string
	err := tx.QueryRowContext(ctx, `SELECT id, definition FROM instruments WHERE code = ? AND version = ?`, inst.Code, inst.Version).Scan(&id, &def)
	if err == nil {
		old, lerr := LoadInstrument([]byte(def))
		if lerr != nil || !sameItems(old, inst) {
			return 0, fmt.Errorf("instrument %s version %d is already stored with other items; raise its version: %w", inst.Code, inst.Version, ErrConflict)
		}
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	id, err = insertID(ctx, tx, `INSERT INTO instruments (code, version, definition, created_at) VALUES (?, ?, ?, ?)`,
		inst.Code, inst.Version, string(raw), now)
	if err != nil {
		return 0, err
	}
	return id, nil
}

// sameItems reports whether two instruments share the answer-vector layout.
func sameItems(a, b *Instrument) bool {
	if len(a.Items) != len(b.Items) {
		return false
	}
	for i := range a.Items {
		x, y := a.Items[i], b.Items[i]
		if x.Code != y.Code || x.Element != y.Element || x.Scale.Kind != y.Scale.Kind || x.Scale.Points != y.Scale.Points || x.Reverse != y.Reverse {
			return false
		}
	}
	return true
}

const periodColumns = `p.id, p.code, p.name, p.instrument_id, i.definition, p.settings, COALESCE(p.opens_on, ''), COALESCE(p.closes_on, ''), p.status, p.device_salt, p.created_at`

// Period returns the period with the code, its instrument loaded.
func (s *Store) Period(ctx context.Context, code string) (*Period, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+periodColumns+` FROM periods p JOIN instruments i ON i.id = p.instrument_id WHERE p.code = ?`, code)
	p, err := s.scanPeriod(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("survey: period %q: %w", code, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("survey: period %q: %w", code, err)
	}
	return p, nil
}

// PeriodByID returns the period with the id.
func (s *Store) PeriodByID(ctx context.Context, id int64) (*Period, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+periodColumns+` FROM periods p JOIN instruments i ON i.id = p.instrument_id WHERE p.id = ?`, id)
	p, err := s.scanPeriod(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("survey: period %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("survey: period %d: %w", id, err)
	}
	return p, nil
}

// Periods lists all periods, newest first.
func (s *Store) Periods(ctx context.Context) ([]*Period, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+periodColumns+` FROM periods p JOIN instruments i ON i.id = p.instrument_id ORDER BY p.created_at DESC, p.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("survey: periods: %w", err)
	}
	defer rows.Close()
	var out []*Period
	for rows.Next() {
		p, err := s.scanPeriod(rows)
		if err != nil {
			return nil, fmt.Errorf("survey: periods: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(...any) error }

func (s *Store) scanPeriod(row scanner) (*Period, error) {
	var p Period
	var instID int64
	var def, settings, created string
	if err := row.Scan(&p.ID, &p.Code, &p.Name, &instID, &def, &settings, &p.OpensOn, &p.ClosesOn, &p.Status, &p.DeviceSalt, &created); err != nil {
		return nil, err
	}
	inst, err := s.instrument(instID, def)
	if err != nil {
		return nil, err
	}
	p.Instrument = inst
	p.Settings = json.RawMessage(settings)
	p.CreatedAt, _ = time.Parse(time.RFC3339, created)
	return &p, nil
}

// instrument parses a stored definition once; instruments never change.
func (s *Store) instrument(id int64, def string) (*Instrument, error) {
	if v, ok := s.instruments.Load(id); ok {
		return v.(*Instrument), nil
	}
	inst, err := LoadInstrument([]byte(def))
	if err != nil {
		return nil, err
	}
	s.instruments.Store(id, inst)
	return inst, nil
}

// SetPeriodStatus moves a period forward: draft → open → closed. Closing
// freezes its answers; a closed period cannot reopen.
func (s *Store) SetPeriodStatus(ctx context.Context, code, status string) error {
	allowed := map[string]string{StatusOpen: StatusDraft, StatusClosed: StatusOpen}
	from, ok := allowed[status]
	if !ok {
		return fmt.Errorf("survey: period %q: unknown status %q", code, status)
	}
	var changed int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM periods WHERE code = ? AND status = ?`, code, from).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		// Before the status changes: a closed period's responses are frozen.
		// The pool is released first, then the device traces of every
		// response (the released ones included) are dropped.
		if status == StatusClosed {
			if err := s.closePool(ctx, tx, id); err != nil {
				return err
			}
			if err := dropDeviceTraces(ctx, tx, id); err != nil { // open_counts.go
				return err
			}
		}
		changed = id
		_, err = tx.ExecContext(ctx, `UPDATE periods SET status = ? WHERE id = ?`, status, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("survey: set period %q %s: %w", code, status, err)
	}
	if changed == 0 {
		if _, err := s.Period(ctx, code); err != nil {
			return err
		}
		return fmt.Errorf("survey: period %q can become %s only from %s: %w", code, status, from, ErrClosed)
	}
	if status == StatusClosed {
		s.truncateWAL(ctx)
		if err := s.purgeDeadRows(ctx); err != nil {
			return fmt.Errorf("survey: period %q is closed, but the rows its close deleted are still in the data files (run VACUUM FULL response_pool, open_device_days, responses, sealed_drafts): %w", code, err)
		}
	}
	return nil
}

// purgeDeadRows rewrites, on PostgreSQL, the tables a close deletes from
// or updates. PostgreSQL keeps old row versions in its data files until a
// vacuum, and a plain VACUUM only marks their space free: the released
// pool rows (sealed answers, which the key file opens and whose xmin names
// the transaction that used their invitation) and the dropped device
// hashes would stay readable on disk. VACUUM FULL writes the live rows
// into new files and deletes the old ones; it locks each table while it
// copies it, once per close. SQLite overwrites deleted rows itself
// (secure_delete) and truncates its WAL (truncateWAL).
func (s *Store) purgeDeadRows(ctx context.Context) error {
	if !s.pg {
		return nil
	}
	_, err := s.w.ExecContext(ctx, `VACUUM FULL response_pool, open_device_days, responses, sealed_drafts`)
	return err
}

// closePool releases everything still waiting in a closing period's pool
// and deletes its drafts: nothing sealed outlives the period.
func (s *Store) closePool(ctx context.Context, tx *sql.Tx, periodID int64) error {
	gs, err := poolGroups(ctx, tx, periodID)
	if err != nil {
		return err
	}
	for _, g := range gs {
		if _, err := s.releaseGroup(ctx, tx, g, true); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM sealed_drafts WHERE period_id = ?`, periodID)
	return err
}

// UpdatePeriodSettings replaces the method settings of a draft period; the
// thresholds are locked once the period opens (spi-method.md §8).
func (s *Store) UpdatePeriodSettings(ctx context.Context, code string, settings json.RawMessage) error {
	res, err := s.w.ExecContext(ctx, `UPDATE periods SET settings = ? WHERE code = ? AND status = 'draft'`, string(settings), code)
	if err != nil {
		return fmt.Errorf("survey: settings of %q: %w", code, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Period(ctx, code); err != nil {
			return err
		}
		return fmt.Errorf("survey: settings of %q are locked once it opens: %w", code, ErrClosed)
	}
	return nil
}

// PreviousPeriod returns the latest period created before p, or ErrNotFound.
func (s *Store) PreviousPeriod(ctx context.Context, p *Period) (*Period, error) {
	var code string
	err := s.r.QueryRowContext(ctx, `SELECT code FROM periods WHERE id <> ? AND (created_at < ? OR (created_at = ? AND id < ?))
		ORDER BY created_at DESC, id DESC LIMIT 1`, p.ID, stamp(p.CreatedAt), stamp(p.CreatedAt), p.ID).Scan(&code)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("survey: period before %s: %w", p.Code, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("survey: period before %s: %w", p.Code, err)
	}
	return s.Period(ctx, code)
}
