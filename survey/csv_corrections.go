package survey

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// ParseCorrectionsCSV reads correction-factor items with the header
// unit,points,reason (kind and evidence optional). Points are index points,
// 0 to 100; a decimal comma is accepted.
func ParseCorrectionsCSV(name string, r io.Reader) ([]Correction, error) {
	t, err := newTable(name, r, []string{"unit", "points", "reason"}, []string{"kind", "evidence"})
	if err != nil {
		return nil, err
	}
	var out []Correction
	for rec, ok := t.next(); ok; rec, ok = t.next() {
		c := Correction{UnitCode: t.get(rec, "unit"), Kind: strings.ToLower(t.get(rec, "kind")), Reason: t.get(rec, "reason"), Evidence: t.get(rec, "evidence")}
		if !unitCodePattern.MatchString(c.UnitCode) {
			t.fail("unit", "import.unit.code", "Value", quote(c.UnitCode))
		}
		if c.Kind == "" {
			c.Kind = "other"
		} else if !slices.Contains(CorrectionKinds, c.Kind) {
			t.fail("kind", "import.correction.kind", "Value", quote(c.Kind), "Kinds", strings.Join(CorrectionKinds, ", "))
		}
		v := strings.ReplaceAll(t.get(rec, "points"), ",", ".")
		p, err := strconv.ParseFloat(v, 64)
		if err != nil || !(p >= 0 && p <= 100) { // written so that NaN fails too
			t.fail("points", "import.correction.points", "Value", quote(v))
		}
		c.Points = p
		if c.Reason == "" || len(c.Reason) > 2000 {
			t.fail("reason", "import.correction.reason")
		}
		out = append(out, c)
	}
	if err := t.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ImportCorrections adds correction items for a period in one transaction.
func (s *Store) ImportCorrections(ctx context.Context, p *Period, items []Correction, by string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, c := range items {
			res, err := tx.ExecContext(ctx, `INSERT INTO corrections (period_id, unit_id, kind, points, reason, evidence, set_by, set_at)
				SELECT ?, u.id, ?, ?, ?, ?, ?, ? FROM units u JOIN period_units pu ON pu.unit_id = u.id WHERE pu.period_id = ? AND u.code = ?`,
				p.ID, c.Kind, c.Points, c.Reason, c.Evidence, by, stamp(s.now()), p.ID, c.UnitCode)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("survey: correction for unit %q: not in period %s: %w", c.UnitCode, p.Code, ErrNotFound)
			}
		}
		return nil
	})
}
