package survey

import (
	"context"
	"fmt"
	"time"
)

// Correction kinds (spi-method.md §3.6).
var CorrectionKinds = []string{"complaints", "law_enforcement", "survey_integrity", "follow_up", "other"}

// Correction is one item of a unit's correction factor, in index points.
type Correction struct {
	ID       int64
	PeriodID int64
	UnitID   int64
	UnitCode string
	Kind     string
	Points   float64
	Reason   string
	Evidence string
	SetBy    string
	SetAt    time.Time
}

// AddCorrection records a correction item for a unit, stamped with who and when.
func (s *Store) AddCorrection(ctx context.Context, c Correction) (int64, error) {
	if c.Kind == "" {
		c.Kind = "other"
	}
	id, err := insertID(ctx, s.w, `INSERT INTO corrections (period_id, unit_id, kind, points, reason, evidence, set_by, set_at)
		VALUES (?, (SELECT u.id FROM units u JOIN period_units pu ON pu.unit_id = u.id WHERE pu.period_id = ? AND u.code = ?), ?, ?, ?, ?, ?, ?)`,
		c.PeriodID, c.PeriodID, c.UnitCode, c.Kind, c.Points, c.Reason, c.Evidence, c.SetBy, stamp(s.now()))
	if err != nil {
		return 0, fmt.Errorf("survey: correction for %q: %w", c.UnitCode, err)
	}
	return id, nil
}

// SetCorrection replaces all correction items of a unit by one.
func (s *Store) SetCorrection(ctx context.Context, c Correction) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("survey: set correction: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM corrections WHERE period_id = ? AND unit_id = (SELECT id FROM units WHERE code = ?)`, c.PeriodID, c.UnitCode); err != nil {
		return fmt.Errorf("survey: set correction: %w", err)
	}
	if c.Kind == "" {
		c.Kind = "other"
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO corrections (period_id, unit_id, kind, points, reason, evidence, set_by, set_at)
		VALUES (?, (SELECT u.id FROM units u JOIN period_units pu ON pu.unit_id = u.id WHERE pu.period_id = ? AND u.code = ?), ?, ?, ?, ?, ?, ?)`,
		c.PeriodID, c.PeriodID, c.UnitCode, c.Kind, c.Points, c.Reason, c.Evidence, c.SetBy, stamp(s.now())); err != nil {
		return fmt.Errorf("survey: set correction for %q: %w", c.UnitCode, err)
	}
	return tx.Commit()
}

// DeleteCorrection removes one correction item.
func (s *Store) DeleteCorrection(ctx context.Context, periodID, id int64) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM corrections WHERE period_id = ? AND id = ?`, periodID, id)
	if err != nil {
		return fmt.Errorf("survey: delete correction %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("survey: correction %d: %w", id, ErrNotFound)
	}
	return nil
}

// Corrections lists a period's correction items by unit code and id.
func (s *Store) Corrections(ctx context.Context, periodID int64) ([]Correction, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT c.id, c.period_id, c.unit_id, u.code, c.kind, c.points, c.reason, c.evidence, c.set_by, c.set_at
		FROM corrections c JOIN units u ON u.id = c.unit_id WHERE c.period_id = ? ORDER BY u.code, c.id`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: corrections: %w", err)
	}
	defer rows.Close()
	var out []Correction
	for rows.Next() {
		var c Correction
		var at string
		if err := rows.Scan(&c.ID, &c.PeriodID, &c.UnitID, &c.UnitCode, &c.Kind, &c.Points, &c.Reason, &c.Evidence, &c.SetBy, &at); err != nil {
			return nil, fmt.Errorf("survey: corrections: %w", err)
		}
		c.SetAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, c)
	}
	return out, rows.Err()
}
