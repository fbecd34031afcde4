package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Action plan statuses.
var ActionStatuses = []string{"planned", "in_progress", "done", "not_done"}

// ActionPlan is a unit's follow-up (rencana aksi) of one risk element.
type ActionPlan struct {
	ID        int64
	PeriodID  int64
	UnitCode  string
	Element   string
	Action    string
	Owner     string
	DueDate   string // YYYY-MM-DD or ""
	Status    string
	Evidence  string
	UpdatedBy string
	UpdatedAt time.Time
}

// check reports the first problem of a plan a person typed or uploaded.
func (a ActionPlan) check() error {
	switch {
	case a.UnitCode == "" || a.Element == "":
		return fmt.Errorf("unit and element are required: %w", ErrInvalidPlan)
	case !slices.Contains(ActionStatuses, a.Status):
		return fmt.Errorf("status %q must be one of %v: %w", a.Status, ActionStatuses, ErrInvalidPlan)
	case len(a.Action) > 2000 || len(a.Evidence) > 2000 || len(a.Owner) > 200:
		return fmt.Errorf("action or evidence longer than 2000 characters: %w", ErrInvalidPlan)
	}
	if a.DueDate != "" {
		if _, err := time.Parse(time.DateOnly, a.DueDate); err != nil {
			return fmt.Errorf("due date %q is not YYYY-MM-DD: %w", a.DueDate, ErrInvalidPlan)
		}
	}
	return nil
}

// SaveActionPlans creates or replaces the plans (one per unit and element),
// all in one transaction: none is saved when any is invalid.
func (s *Store) SaveActionPlans(ctx context.Context, periodID int64, plans []ActionPlan) error {
	now := stamp(s.now())
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, a := range plans {
			if err := a.check(); err != nil {
				return err
			}
			var unitID int64
			err := tx.QueryRowContext(ctx, `SELECT u.id FROM units u JOIN period_units pu ON pu.unit_id = u.id
				WHERE pu.period_id = ? AND u.code = ?`, periodID, a.UnitCode).Scan(&unitID)
			if err == sql.ErrNoRows {
				return fmt.Errorf("unit %q is not in the period: %w", a.UnitCode, ErrNotFound)
			}
			if err != nil {
				return err
			}
			var due any
			if a.DueDate != "" {
				due = a.DueDate
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO action_plans (period_id, unit_id, element, action, owner, due_date, status, evidence, updated_by, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (period_id, unit_id, element) DO UPDATE SET action = excluded.action, owner = excluded.owner,
				due_date = excluded.due_date, status = excluded.status, evidence = excluded.evidence,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				periodID, unitID, a.Element, a.Action, a.Owner, due, a.Status, a.Evidence, a.UpdatedBy, now); err != nil {
				return fmt.Errorf("%s/%s: %w", a.UnitCode, a.Element, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("survey: save action plans: %w", err)
	}
	return nil
}

// ActionPlans lists a period's action plans by unit code and element
// (unitCode "" lists every unit).
func (s *Store) ActionPlans(ctx context.Context, periodID int64, unitCode string) ([]ActionPlan, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT a.id, a.period_id, u.code, a.element, a.action, a.owner, coalesce(a.due_date, ''),
		a.status, a.evidence, a.updated_by, a.updated_at
		FROM action_plans a JOIN units u ON u.id = a.unit_id
		WHERE a.period_id = ? AND (? = '' OR u.code = ?) ORDER BY u.code, a.element`, periodID, unitCode, unitCode)
	if err != nil {
		return nil, fmt.Errorf("survey: action plans: %w", err)
	}
	defer rows.Close()
	var out []ActionPlan
	for rows.Next() {
		var a ActionPlan
		var at string
		if err := rows.Scan(&a.ID, &a.PeriodID, &a.UnitCode, &a.Element, &a.Action, &a.Owner, &a.DueDate,
			&a.Status, &a.Evidence, &a.UpdatedBy, &at); err != nil {
			return nil, fmt.Errorf("survey: action plans: %w", err)
		}
		a.UpdatedAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ErrInvalidPlan means an action plan's fields are missing or malformed.
var ErrInvalidPlan = errors.New("survey: invalid action plan")
