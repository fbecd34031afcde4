package survey

import (
	"context"
	"fmt"
	"math"
	"time"
)

// AuditQuery selects a page of the audit log, newest first.
type AuditQuery struct {
	Action string // an exact action ("auth.login") or a prefix ending in "." ("auth.")
	Offset int
	Limit  int // 0: 50
}

func (q AuditQuery) where() (string, []any) {
	switch {
	case q.Action == "":
		return "1 = 1", nil
	case q.Action[len(q.Action)-1] == '.':
		return `action LIKE ? ESCAPE '\'`, []any{escapeLike(q.Action) + "%"}
	default:
		return "action = ?", []any{q.Action}
	}
}

// AuditPage returns one page of entries and how many match in all.
func (s *Store) AuditPage(ctx context.Context, q AuditQuery) ([]AuditEntry, int, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	where, args := q.where()
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("survey: audit page: %w", err)
	}
	var out []AuditEntry
	err := s.eachAudit(ctx, where, append(args, q.Limit, max(q.Offset, 0)), func(e AuditEntry) error {
		out = append(out, e)
		return nil
	})
	return out, total, err
}

// EachAudit streams every matching entry, newest first (for exports).
func (s *Store) EachAudit(ctx context.Context, action string, fn func(AuditEntry) error) error {
	where, args := AuditQuery{Action: action}.where()
	return s.eachAudit(ctx, where, append(args, math.MaxInt64, 0), fn)
}

func (s *Store) eachAudit(ctx context.Context, where string, args []any, fn func(AuditEntry) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT id, at, actor, action, target, detail FROM audit_log WHERE `+where+
		` ORDER BY id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return fmt.Errorf("survey: audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return fmt.Errorf("survey: audit log: %w", err)
		}
		e.At, _ = time.Parse(time.RFC3339, at)
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditActions lists the distinct actions recorded, for a filter menu.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT action FROM audit_log ORDER BY action`)
	if err != nil {
		return nil, fmt.Errorf("survey: audit actions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("survey: audit actions: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
