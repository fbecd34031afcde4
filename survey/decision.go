package survey

import (
	"context"
	"fmt"
	"time"
)

// Decision is an analyst's choice to include or exclude one flagged response.
type Decision struct {
	ResponseID int64
	Include    bool
	Note       string
	DecidedBy  string
	DecidedAt  time.Time
}

// SetDecision records (or replaces) the decision on a response of the period.
func (s *Store) SetDecision(ctx context.Context, periodID int64, d Decision) error {
	res, err := s.w.ExecContext(ctx, `INSERT INTO flag_decisions (response_id, include, note, decided_by, decided_at)
		SELECT id, ?, ?, ?, ? FROM responses WHERE id = ? AND period_id = ?
		ON CONFLICT (response_id) DO UPDATE SET include = excluded.include, note = excluded.note,
			decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
		d.Include, d.Note, d.DecidedBy, stamp(s.now()), d.ResponseID, periodID)
	if err != nil {
		return fmt.Errorf("survey: decision on response %d: %w", d.ResponseID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("survey: response %d in period %d: %w", d.ResponseID, periodID, ErrNotFound)
	}
	return nil
}

// ClearDecision removes the decision on a response, returning it to the
// period's default (include_flagged).
func (s *Store) ClearDecision(ctx context.Context, periodID, responseID int64) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM flag_decisions WHERE response_id = ?
		AND response_id IN (SELECT id FROM responses WHERE period_id = ?)`, responseID, periodID)
	if err != nil {
		return fmt.Errorf("survey: clear decision %d: %w", responseID, err)
	}
	return nil
}

// Decisions lists the period's decisions by response id.
func (s *Store) Decisions(ctx context.Context, periodID int64) (map[int64]Decision, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT d.response_id, d.include, d.note, d.decided_by, d.decided_at
		FROM flag_decisions d JOIN responses r ON r.id = d.response_id WHERE r.period_id = ?`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: decisions: %w", err)
	}
	defer rows.Close()
	out := map[int64]Decision{}
	for rows.Next() {
		var d Decision
		var at string
		if err := rows.Scan(&d.ResponseID, &d.Include, &d.Note, &d.DecidedBy, &at); err != nil {
			return nil, fmt.Errorf("survey: decisions: %w", err)
		}
		d.DecidedAt, _ = time.Parse(time.RFC3339, at)
		out[d.ResponseID] = d
	}
	return out, rows.Err()
}
