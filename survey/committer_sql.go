package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// commitStmts are the committer's statements, prepared once on the writer
// pool; each transaction borrows them (database/sql reuses the prepared
// statement of the writer's single connection).
type commitStmts struct {
	markUsed, whyNot, dropDraft, insert, text *sql.Stmt
}

// The invitation is marked used only when it is still unused and matches
// the response's period, unit and type: of many concurrent submissions of
// one token exactly one finds used = 0.
const sqlMarkUsed = `UPDATE invitations SET used = 1
	WHERE token_hash = ? AND used = 0 AND period_id = ? AND unit_id = ? AND respondent_type = ?
	RETURNING id`

// The response is stored only while its period accepts answers (status and
// dates, checked inside the transaction) and its unit takes part in it.
const sqlInsertResponse = `INSERT INTO responses
	(period_id, unit_id, respondent_type, channel, submitted_hour, duration_seconds, lang, device_hash, stratum, answers)
	SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 FROM periods p
	WHERE p.id = ?1 AND p.status = 'open'
	  AND (p.opens_on IS NULL OR p.opens_on <= ?11) AND (p.closes_on IS NULL OR p.closes_on >= ?11)
	  AND EXISTS (SELECT 1 FROM period_units pu WHERE pu.period_id = ?1 AND pu.unit_id = ?2)`

func prepareCommitStmts(ctx context.Context, db *sql.DB) (*commitStmts, error) {
	var cs commitStmts
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&cs.markUsed, sqlMarkUsed},
		{&cs.whyNot, `SELECT used FROM invitations WHERE token_hash = ?`},
		{&cs.dropDraft, `DELETE FROM drafts WHERE invitation_id = ?`},
		{&cs.insert, sqlInsertResponse},
		{&cs.text, `INSERT INTO text_answers (response_id, item_code, body) VALUES (?, ?, ?)`},
	} {
		st, err := db.PrepareContext(ctx, p.sql)
		if err != nil {
			cs.close()
			return nil, err
		}
		*p.dst = st
	}
	return &cs, nil
}

func (cs *commitStmts) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{cs.markUsed, cs.whyNot, cs.dropDraft, cs.insert, cs.text} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// txStmts are the statements bound to one transaction.
type txStmts struct{ markUsed, whyNot, dropDraft, insert, text *sql.Stmt }

func (cs *commitStmts) in(ctx context.Context, tx *sql.Tx) *txStmts {
	return &txStmts{
		markUsed: tx.StmtContext(ctx, cs.markUsed), whyNot: tx.StmtContext(ctx, cs.whyNot),
		dropDraft: tx.StmtContext(ctx, cs.dropDraft), insert: tx.StmtContext(ctx, cs.insert), text: tx.StmtContext(ctx, cs.text),
	}
}

func (ts *txStmts) close() {
	ts.markUsed.Close()
	ts.whyNot.Close()
	ts.dropDraft.Close()
	ts.insert.Close()
	ts.text.Close()
}

// apply stores one submission inside the batch's transaction (under its
// savepoint): mark the invitation used, store the response and its texts,
// delete the draft. Any error rolls the submission back.
func (ts *txStmts) apply(ctx context.Context, sub *Submission, now time.Time) error {
	r := &sub.Response
	var invitationID int64
	if sub.TokenHash != nil {
		err := ts.markUsed.QueryRowContext(ctx, sub.TokenHash, r.PeriodID, r.UnitID, r.Type).Scan(&invitationID)
		if errors.Is(err, sql.ErrNoRows) {
			var used int
			if err := ts.whyNot.QueryRowContext(ctx, sub.TokenHash).Scan(&used); err == nil && used == 1 {
				return fmt.Errorf("survey: submit: %w", ErrUsed)
			}
			return fmt.Errorf("survey: submit: invitation: %w", ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("survey: submit: mark invitation used: %w", err)
		}
	}
	var dur, dev any
	if r.Duration >= 0 {
		dur = min(r.Duration, maxDuration)
	}
	if len(r.DeviceHash) > 0 {
		dev = r.DeviceHash
	}
	lang := r.Lang
	if lang != "en" {
		lang = "id"
	}
	res, err := ts.insert.ExecContext(ctx, r.PeriodID, r.UnitID, r.Type, r.Channel, hourOf(now), dur, lang, dev,
		r.Answers.Stratum, r.Answers.Vector, now.UTC().Format(time.DateOnly))
	if err != nil {
		return fmt.Errorf("survey: submit: store response: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("survey: submit: %w", ErrClosed)
	}
	if len(r.Answers.Texts) > 0 {
		id, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("survey: submit: %w", err)
		}
		for code, body := range r.Answers.Texts {
			if _, err := ts.text.ExecContext(ctx, id, code, body); err != nil {
				return fmt.Errorf("survey: submit: store text %s: %w", code, err)
			}
		}
	}
	if invitationID != 0 {
		if _, err := ts.dropDraft.ExecContext(ctx, invitationID); err != nil {
			return fmt.Errorf("survey: submit: delete draft: %w", err)
		}
	}
	return nil
}
