package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Unit is an OPD as it takes part in a period, with that period's population
// frame per respondent type (0 when unknown).
type Unit struct {
	ID         int64
	Code       string
	Name       string
	ParentCode string
	HeadName   string
	HeadEmail  string
	Population map[string]int
}

// ImportUnits creates or updates the units and their population frames for a
// period in one transaction: all of them, or none when any row fails.
func (s *Store) ImportUnits(ctx context.Context, periodID int64, units []Unit) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, u := range units {
			if _, err := tx.ExecContext(ctx, `INSERT INTO units (code, name, head_name, head_email) VALUES (?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, head_name = excluded.head_name, head_email = excluded.head_email`,
				u.Code, u.Name, u.HeadName, u.HeadEmail); err != nil {
				return fmt.Errorf("unit %q: %w", u.Code, err)
			}
		}
		// Parents second, so that a file may list a child before its parent.
		for _, u := range units {
			if u.ParentCode != "" {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM units WHERE code = ?`, u.ParentCode).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return fmt.Errorf("unit %q: parent %q: %w", u.Code, u.ParentCode, ErrNotFound)
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE units SET parent_id = (SELECT id FROM units WHERE code = NULLIF(?, '')) WHERE code = ?`, u.ParentCode, u.Code); err != nil {
				return fmt.Errorf("unit %q parent: %w", u.Code, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO period_units (period_id, unit_id, internal_population, external_population, expert_population)
				VALUES (?, (SELECT id FROM units WHERE code = ?), NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0))
				ON CONFLICT (period_id, unit_id) DO UPDATE SET internal_population = excluded.internal_population,
					external_population = excluded.external_population, expert_population = excluded.expert_population`,
				periodID, u.Code, u.Population[Internal], u.Population[External], u.Population[Expert]); err != nil {
				return fmt.Errorf("unit %q population: %w", u.Code, err)
			}
		}
		return checkParentCycles(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("survey: import units: %w", err)
	}
	return nil
}

// checkParentCycles refuses a parent chain that loops back on itself.
func checkParentCycles(ctx context.Context, tx *sql.Tx) error {
	var code string
	err := tx.QueryRowContext(ctx, `WITH RECURSIVE chain(start, id, depth) AS (
			SELECT id, parent_id, 1 FROM units WHERE parent_id IS NOT NULL
			UNION ALL
			SELECT chain.start, u.parent_id, depth + 1 FROM chain JOIN units u ON u.id = chain.id
			WHERE u.parent_id IS NOT NULL AND depth < 64)
		SELECT u.code FROM chain JOIN units u ON u.id = chain.start WHERE chain.id = chain.start LIMIT 1`).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("unit %q is its own ancestor", code)
}

const unitColumns = `u.id, u.code, u.name, COALESCE(p.code, ''), u.head_name, u.head_email,
	COALESCE(pu.internal_population, 0), COALESCE(pu.external_population, 0), COALESCE(pu.expert_population, 0)`

// Units lists the units of a period, ordered by code.
func (s *Store) Units(ctx context.Context, periodID int64) ([]Unit, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+unitColumns+` FROM period_units pu
		JOIN units u ON u.id = pu.unit_id LEFT JOIN units p ON p.id = u.parent_id
		WHERE pu.period_id = ? ORDER BY u.code`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: units of period %d: %w", periodID, err)
	}
	defer rows.Close()
	var out []Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("survey: units of period %d: %w", periodID, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Unit returns one unit of a period by code.
func (s *Store) Unit(ctx context.Context, periodID int64, code string) (Unit, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM period_units pu
		JOIN units u ON u.id = pu.unit_id LEFT JOIN units p ON p.id = u.parent_id
		WHERE pu.period_id = ? AND u.code = ?`, periodID, code)
	u, err := scanUnit(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, fmt.Errorf("survey: unit %q in period %d: %w", code, periodID, ErrNotFound)
	}
	if err != nil {
		return Unit{}, fmt.Errorf("survey: unit %q: %w", code, err)
	}
	return u, nil
}

func scanUnit(row scanner) (Unit, error) {
	var u Unit
	var in, ex, xp int
	if err := row.Scan(&u.ID, &u.Code, &u.Name, &u.ParentCode, &u.HeadName, &u.HeadEmail, &in, &ex, &xp); err != nil {
		return Unit{}, err
	}
	u.Population = map[string]int{Internal: in, External: ex, Expert: xp}
	return u, nil
}

// UpdateUnit changes a unit's name, head and, for the period, its population.
func (s *Store) UpdateUnit(ctx context.Context, periodID int64, u Unit) error {
	if err := checkNames("unit name", u.Name, "head name", u.HeadName); err != nil {
		return fmt.Errorf("survey: update unit %q: %w", u.Code, err)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE units SET name = ?, head_name = ?, head_email = ? WHERE code = ?`, u.Name, u.HeadName, u.HeadEmail, u.Code)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		res, err = tx.ExecContext(ctx, `UPDATE period_units SET internal_population = NULLIF(?, 0), external_population = NULLIF(?, 0), expert_population = NULLIF(?, 0)
			WHERE period_id = ? AND unit_id = (SELECT id FROM units WHERE code = ?)`,
			u.Population[Internal], u.Population[External], u.Population[Expert], periodID, u.Code)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("survey: update unit %q: %w", u.Code, err)
	}
	return nil
}
