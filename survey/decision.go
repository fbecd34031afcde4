package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Decision actions (spi-method.md §6): what the Inspectorate decided about a
// unit's flagged responses.
const (
	DecisionExcludeFlag    = "exclude_flag"    // leave out the responses with one flag type
	DecisionExcludeCluster = "exclude_cluster" // leave out one coached cluster
	DecisionKeep           = "keep"            // keep a coached cluster's answers
	DecisionCorrection     = "correction"      // enter a survey-integrity correction instead
	DecisionWithhold       = "withhold"        // publish the index as "ditangguhkan"
)

// DecisionActions lists the actions in the order forms offer them.
var DecisionActions = []string{DecisionKeep, DecisionExcludeCluster, DecisionExcludeFlag, DecisionCorrection, DecisionWithhold}

// DecisionFlags are the flag types an exclude_flag decision may name.
var DecisionFlags = []string{"speeder", "straight_line", "coached", "duplicate"}

// Decision is one recorded exclusion decision about a unit (and optionally
// one respondent type). Decisions are never deleted; a revoked decision keeps
// who revoked it, when and why.
type Decision struct {
	ID           int64
	PeriodID     int64
	UnitCode     string
	Type         string // "" = every type
	Action       string
	Flag         string  // exclude_flag
	Cluster      string  // exclude_cluster, keep (required), correction, withhold: the coached cluster decided on
	Points       float64 // correction: index points (stored as a correction)
	CorrectionID int64   // correction: the correction entered, 0 once deleted
	Reason       string
	DecidedBy    string
	DecidedAt    time.Time
	RevokedBy    string
	RevokedAt    time.Time // zero while in force
	RevokeReason string
}

// Active reports whether the decision was in force at t (zero t: now).
func (d Decision) Active(t time.Time) bool {
	if !t.IsZero() && d.DecidedAt.After(t) {
		return false
	}
	return d.RevokedAt.IsZero() || (!t.IsZero() && d.RevokedAt.After(t))
}

// AddDecision records a decision and its audit entry in one transaction; a
// correction decision also enters its survey-integrity correction. The
// period must be open or a draft: a closed period's figures are frozen.
func (s *Store) AddDecision(ctx context.Context, d Decision) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		unitID, err := decisionScope(ctx, tx, d.PeriodID, d.UnitCode)
		if err != nil {
			return err
		}
		now := stamp(s.now())
		var corr any
		if d.Action == DecisionCorrection {
			cid, err := insertID(ctx, tx, `INSERT INTO corrections (period_id, unit_id, kind, points, reason, evidence, set_by, set_at)
				VALUES (?, ?, 'survey_integrity', ?, ?, 'decision', ?, ?)`, d.PeriodID, unitID, d.Points, d.Reason, d.DecidedBy, now)
			if err != nil {
				return fmt.Errorf("survey: decision correction for %q: %w", d.UnitCode, err)
			}
			corr = cid
		}
		id, err = insertID(ctx, tx, `INSERT INTO quality_decisions
			(period_id, unit_id, respondent_type, action, flag, cluster, correction_id, reason, decided_by, decided_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.PeriodID, unitID, d.Type, d.Action, d.Flag, d.Cluster, corr, d.Reason, d.DecidedBy, now)
		if err != nil {
			return fmt.Errorf("survey: decision on %q: %w", d.UnitCode, err)
		}
		return auditTx(ctx, tx, now, d.DecidedBy, "quality.decision", decisionTarget(ctx, tx, d.PeriodID, d.UnitCode, id),
			fmt.Sprintf("%s type=%s flag=%s cluster=%s points=%g: %s", d.Action, d.Type, d.Flag, d.Cluster, d.Points, d.Reason))
	})
	return id, err
}

// RevokeDecision ends a decision in force, with who and why, and audits it.
// A correction it entered stays until deleted on the corrections page.
func (s *Store) RevokeDecision(ctx context.Context, periodID, id int64, by, why string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var unit string
		err := tx.QueryRowContext(ctx, `SELECT u.code FROM quality_decisions d JOIN units u ON u.id = d.unit_id
			WHERE d.id = ? AND d.period_id = ? AND d.revoked_at IS NULL`, id, periodID).Scan(&unit)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("survey: decision %d in period %d: %w", id, periodID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("survey: revoke decision %d: %w", id, err)
		}
		if _, err := decisionScope(ctx, tx, periodID, unit); err != nil {
			return err
		}
		now := stamp(s.now())
		if _, err := tx.ExecContext(ctx, `UPDATE quality_decisions SET revoked_by = ?, revoked_at = ?, revoke_reason = ? WHERE id = ?`,
			by, now, why, id); err != nil {
			return fmt.Errorf("survey: revoke decision %d: %w", id, err)
		}
		return auditTx(ctx, tx, now, by, "quality.decision.revoke", decisionTarget(ctx, tx, periodID, unit, id), why)
	})
}

// Decisions lists every decision of the period, in force or revoked, oldest first.
func (s *Store) Decisions(ctx context.Context, periodID int64) ([]Decision, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT d.id, d.period_id, u.code, d.respondent_type, d.action, d.flag, d.cluster,
			COALESCE(c.points, 0), COALESCE(d.correction_id, 0), d.reason, d.decided_by, d.decided_at,
			COALESCE(d.revoked_by, ''), COALESCE(d.revoked_at, ''), COALESCE(d.revoke_reason, '')
		FROM quality_decisions d JOIN units u ON u.id = d.unit_id LEFT JOIN corrections c ON c.id = d.correction_id
		WHERE d.period_id = ? ORDER BY d.id`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: decisions: %w", err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		var at, revoked string
		if err := rows.Scan(&d.ID, &d.PeriodID, &d.UnitCode, &d.Type, &d.Action, &d.Flag, &d.Cluster, &d.Points, &d.CorrectionID,
			&d.Reason, &d.DecidedBy, &at, &d.RevokedBy, &revoked, &d.RevokeReason); err != nil {
			return nil, fmt.Errorf("survey: decisions: %w", err)
		}
		d.DecidedAt, _ = time.Parse(time.RFC3339, at)
		if revoked != "" {
			d.RevokedAt, _ = time.Parse(time.RFC3339, revoked)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// decisionScope finds the unit of an open or draft period; a closed period is ErrClosed.
func decisionScope(ctx context.Context, tx *sql.Tx, periodID int64, unit string) (int64, error) {
	var status string
	var unitID sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT p.status, (SELECT u.id FROM units u JOIN period_units pu ON pu.unit_id = u.id
			WHERE pu.period_id = p.id AND u.code = ?) FROM periods p WHERE p.id = ?`, unit, periodID).Scan(&status, &unitID)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !unitID.Valid {
		return 0, fmt.Errorf("survey: unit %q in period %d: %w", unit, periodID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("survey: decision scope: %w", err)
	}
	if status == StatusClosed {
		return 0, fmt.Errorf("survey: decisions of closed period %d: %w", periodID, ErrClosed)
	}
	return unitID.Int64, nil
}

// decisionTarget names a decision in the audit log.
func decisionTarget(ctx context.Context, tx *sql.Tx, periodID int64, unit string, id int64) string {
	var code string
	tx.QueryRowContext(ctx, `SELECT code FROM periods WHERE id = ?`, periodID).Scan(&code)
	return fmt.Sprintf("period:%s/unit:%s/decision:%d", code, unit, id)
}

// auditTx appends an audit entry inside a transaction.
func auditTx(ctx context.Context, tx *sql.Tx, at, actor, action, target, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`,
		at, actor, action, target, detail)
	if err != nil {
		return fmt.Errorf("survey: audit %s: %w", action, err)
	}
	return nil
}
