package survey

import (
	"context"
	"fmt"
	"math"
	"time"
)

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID     int64
	At     time.Time
	Actor  string // user e-mail, "cli", or "system"
	Action string // e.g. "period.create", "import.units", "export.results"
	Target string // what it acted on, e.g. "period:SPI-2026"
	Detail string
}

// Audit appends an entry. It must never carry answers, tokens or passwords.
func (s *Store) Audit(ctx context.Context, actor, action, target, detail string) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`,
		stamp(s.now()), actor, action, target, detail)
	if err != nil {
		return fmt.Errorf("survey: audit %s: %w", action, err)
	}
	return nil
}

// AuditLog lists entries newest first, at most limit (0: all), filtered by
// action prefix when given.
func (s *Store) AuditLog(ctx context.Context, actionPrefix string, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = math.MaxInt64
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, at, actor, action, target, detail FROM audit_log
		WHERE action LIKE ? ESCAPE '\' ORDER BY id DESC LIMIT ?`, escapeLike(actionPrefix)+"%", limit)
	if err != nil {
		return nil, fmt.Errorf("survey: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, fmt.Errorf("survey: audit log: %w", err)
		}
		e.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, e)
	}
	return out, rows.Err()
}

func escapeLike(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '%' || r == '_' || r == '\\' {
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(out)
}
