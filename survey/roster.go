package survey

import (
	"context"
	"database/sql"
	"fmt"
)

// RosterEntry is one person of a unit's staff or expert list. Rosters hold
// personal data: only the inspectorate sees them, and no response refers to them.
type RosterEntry struct {
	ID               int64
	UnitID           int64
	UnitCode         string
	Type             string // internal or expert
	Name             string
	Email            string
	Phone            string
	Grade            string
	YearsInstitution *float64
	YearsUnit        *float64
	Role             string
	Warning          string // why the person may be outside the frame (§1) as a FrameNote, or ""
}

// ImportRoster replaces the roster of every (unit, type) present in entries,
// in one transaction. Entries carry UnitCode; the unit must be in the period.
func (s *Store) ImportRoster(ctx context.Context, periodID int64, entries []RosterEntry) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		ids := map[string]int64{}
		for _, e := range entries {
			if _, ok := ids[e.UnitCode]; ok {
				continue
			}
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT u.id FROM units u JOIN period_units pu ON pu.unit_id = u.id
				WHERE pu.period_id = ? AND u.code = ?`, periodID, e.UnitCode).Scan(&id)
			if err == sql.ErrNoRows {
				return fmt.Errorf("unit %q is not in the period: %w", e.UnitCode, ErrNotFound)
			}
			if err != nil {
				return err
			}
			ids[e.UnitCode] = id
		}
		cleared := map[string]bool{}
		for _, e := range entries {
			key := e.UnitCode + "\x00" + e.Type
			if !cleared[key] {
				// Invitations keep their row (and used flag) but lose the link.
				if _, err := tx.ExecContext(ctx, `DELETE FROM roster WHERE period_id = ? AND unit_id = ? AND respondent_type = ?`,
					periodID, ids[e.UnitCode], e.Type); err != nil {
					return err
				}
				cleared[key] = true
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO roster (period_id, unit_id, respondent_type, name, email, phone, grade, years_institution, years_unit, role, warning)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				periodID, ids[e.UnitCode], e.Type, e.Name, e.Email, e.Phone, e.Grade, e.YearsInstitution, e.YearsUnit, e.Role, e.Warning); err != nil {
				return fmt.Errorf("%s: %w", e.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("survey: import roster: %w", err)
	}
	return nil
}

// Roster lists a unit's roster of one type in a period (unitID 0: all units).
func (s *Store) Roster(ctx context.Context, periodID, unitID int64, typ string) ([]RosterEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.id, r.unit_id, u.code, r.respondent_type, r.name, r.email, r.phone, r.grade,
		r.years_institution, r.years_unit, r.role, r.warning
		FROM roster r JOIN units u ON u.id = r.unit_id
		WHERE r.period_id = ? AND (? = 0 OR r.unit_id = ?) AND (? = '' OR r.respondent_type = ?) ORDER BY u.code, r.id`,
		periodID, unitID, unitID, typ, typ)
	if err != nil {
		return nil, fmt.Errorf("survey: roster: %w", err)
	}
	defer rows.Close()
	var out []RosterEntry
	for rows.Next() {
		var e RosterEntry
		if err := rows.Scan(&e.ID, &e.UnitID, &e.UnitCode, &e.Type, &e.Name, &e.Email, &e.Phone, &e.Grade,
			&e.YearsInstitution, &e.YearsUnit, &e.Role, &e.Warning); err != nil {
			return nil, fmt.Errorf("survey: roster: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// StrataCounts returns, per unit code, the internal roster's count per grade,
// the frame for post-stratification weights.
func (s *Store) StrataCounts(ctx context.Context, periodID int64) (map[string]map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT u.code, r.grade, count(*) FROM roster r JOIN units u ON u.id = r.unit_id
		WHERE r.period_id = ? AND r.respondent_type = 'internal' AND r.grade <> '' AND r.warning = '' GROUP BY 1, 2`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: strata counts: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]int{}
	for rows.Next() {
		var unit, grade string
		var n int
		if err := rows.Scan(&unit, &grade, &n); err != nil {
			return nil, fmt.Errorf("survey: strata counts: %w", err)
		}
		if out[unit] == nil {
			out[unit] = map[string]int{}
		}
		out[unit][grade] = n
	}
	return out, rows.Err()
}
