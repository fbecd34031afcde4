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
	markUsed, whyNot, dropDraft, insert, period, unitIn, instrument *sql.Stmt
	seal                                                            sealBufs // the writer goroutine's only
}

// The invitation is marked used only when it is still unused and matches
// the response's period, unit and type: of many concurrent submissions of
// one token exactly one finds used = 0.
const sqlMarkUsed = `UPDATE invitations SET used = 1
	WHERE token_hash = ? AND used = 0 AND period_id = ? AND unit_id = ? AND respondent_type = ?
	RETURNING id`

// A submission goes into the pool, sealed, under a random id (OR IGNORE:
// a taken id inserts nothing and another is drawn); see pool.go.
const sqlInsertPooled = `INSERT OR IGNORE INTO response_pool (id, period_id, unit_id, respondent_type, sealed) VALUES (?, ?, ?, ?, ?)`

func prepareCommitStmts(ctx context.Context, db *sql.DB) (*commitStmts, error) {
	var cs commitStmts
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&cs.markUsed, sqlMarkUsed},
		{&cs.whyNot, `SELECT used FROM invitations WHERE token_hash = ?`},
		{&cs.dropDraft, `DELETE FROM sealed_drafts WHERE id = ?`},
		{&cs.insert, sqlInsertPooled},
		{&cs.period, `SELECT status = 'open' AND (opens_on IS NULL OR opens_on <= ?2) AND (closes_on IS NULL OR closes_on >= ?2), instrument_id FROM periods WHERE id = ?1`},
		{&cs.instrument, `SELECT definition FROM instruments WHERE id = ?`},
		{&cs.unitIn, `SELECT count(*) FROM period_units WHERE period_id = ? AND unit_id = ?`},
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

func (cs *commitStmts) all() []*sql.Stmt {
	return []*sql.Stmt{cs.markUsed, cs.whyNot, cs.dropDraft, cs.insert, cs.period, cs.unitIn, cs.instrument}
}

func (cs *commitStmts) close() error {
	var errs []error
	for _, st := range cs.all() {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// txStmts are the statements bound to one transaction, with what the
// transaction learnt about periods and units (asked once per batch).
type txStmts struct {
	markUsed, whyNot, dropDraft, insert, period, unitIn, instrument *sql.Stmt
	st                                                              *Store
	seal                                                            *sealBufs

	hour, day string
	periods   map[int64]bool        // period id -> accepting answers
	insts     map[int64]*Instrument // period id -> its instrument
	units     map[[2]int64]bool     // (period, unit) -> takes part
}

func (cs *commitStmts) in(ctx context.Context, tx *sql.Tx, st *Store, now time.Time) *txStmts {
	return &txStmts{st: st, seal: &cs.seal,
		markUsed: tx.StmtContext(ctx, cs.markUsed), whyNot: tx.StmtContext(ctx, cs.whyNot),
		dropDraft: tx.StmtContext(ctx, cs.dropDraft), insert: tx.StmtContext(ctx, cs.insert),
		period: tx.StmtContext(ctx, cs.period), unitIn: tx.StmtContext(ctx, cs.unitIn), instrument: tx.StmtContext(ctx, cs.instrument),
		hour: hourOf(now), day: now.UTC().Format(time.DateOnly),
		periods: map[int64]bool{}, insts: map[int64]*Instrument{}, units: map[[2]int64]bool{},
	}
}

func (ts *txStmts) close() {
	for _, st := range []*sql.Stmt{ts.markUsed, ts.whyNot, ts.dropDraft, ts.insert, ts.period, ts.unitIn, ts.instrument} {
		st.Close()
	}
}

// accepting reports whether the period takes answers now (status and dates,
// read inside the transaction) and the unit takes part in it; asked once
// per period and unit in a batch.
func (ts *txStmts) accepting(ctx context.Context, periodID, unitID int64) (bool, error) {
	open, ok := ts.periods[periodID]
	if !ok {
		var instID int64
		err := ts.period.QueryRowContext(ctx, periodID, ts.day).Scan(&open, &instID)
		if errors.Is(err, sql.ErrNoRows) {
			open, err = false, nil
		}
		if err != nil {
			return false, err
		}
		if open {
			if ts.insts[periodID], err = ts.loadInstrument(ctx, instID); err != nil {
				return false, err
			}
		}
		ts.periods[periodID] = open
	}
	if !open {
		return false, nil
	}
	key := [2]int64{periodID, unitID}
	in, ok := ts.units[key]
	if !ok {
		var n int
		if err := ts.unitIn.QueryRowContext(ctx, periodID, unitID).Scan(&n); err != nil {
			return false, err
		}
		in = n > 0
		ts.units[key] = in
	}
	return in, nil
}

// loadInstrument returns the instrument, parsed once per store.
func (ts *txStmts) loadInstrument(ctx context.Context, id int64) (*Instrument, error) {
	if v, ok := ts.st.instruments.Load(id); ok {
		return v.(*Instrument), nil
	}
	var def string
	if err := ts.instrument.QueryRowContext(ctx, id).Scan(&def); err != nil {
		return nil, fmt.Errorf("survey: instrument %d: %w", id, err)
	}
	return ts.st.instrument(id, def)
}

// apply stores one submission: mark the invitation used, put the sealed
// answers into the pool, delete the draft. A refusal (ErrUsed,
// ErrNotFound) comes before any write; wrote reports whether a failure left
// writes behind that must be rolled back.
func (ts *txStmts) apply(ctx context.Context, sub *Submission) (wrote bool, err error) {
	r := &sub.Response
	if sub.TokenHash != nil {
		var invitationID int64
		err := ts.markUsed.QueryRowContext(ctx, sub.TokenHash, r.PeriodID, r.UnitID, r.Type).Scan(&invitationID)
		if errors.Is(err, sql.ErrNoRows) {
			var used int
			if err := ts.whyNot.QueryRowContext(ctx, sub.TokenHash).Scan(&used); err == nil && used == 1 {
				return false, fmt.Errorf("survey: submit: %w", ErrUsed)
			}
			return false, fmt.Errorf("survey: submit: invitation: %w", ErrNotFound)
		}
		if err != nil {
			return false, fmt.Errorf("survey: submit: mark invitation used: %w", err)
		}
		wrote = true
	}
	// A failing statement undoes itself, so an open-link response that fails
	// here has written nothing.
	for try := 0; ; try++ {
		id := randomID()
		box, err := ts.st.sealSubmission(ts.seal, r, ts.hour, id, poolSize(ts.insts[r.PeriodID], r.Type))
		if err != nil {
			return wrote, fmt.Errorf("survey: submit: seal: %w", err)
		}
		res, err := ts.insert.ExecContext(ctx, id, r.PeriodID, r.UnitID, r.Type, box)
		if err != nil {
			return wrote, fmt.Errorf("survey: submit: store in pool: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			break
		}
		if try == 8 {
			return wrote, errors.New("survey: submit: no free pool id")
		}
	}
	wrote = true
	if sub.TokenHash != nil {
		if _, err := ts.dropDraft.ExecContext(ctx, ts.st.draftID(sub.TokenHash)); err != nil {
			return true, fmt.Errorf("survey: submit: delete draft: %w", err)
		}
	}
	return true, nil
}
