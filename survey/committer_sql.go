package survey

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// txQ is what a transaction's statements run on: a *sql.Tx, or the
// writer connection inside the committer's own BEGIN ... COMMIT (connTx).
type txQ interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// connTx runs fn in a transaction on the writer's connection, begun and
// ended by SQL rather than by database/sql's Tx: a Tx starts a goroutine
// to watch its context, and another for every query run in it (Rows
// watch the transaction's context too), and at one commit per response
// each goroutine's start, wake-up and exit woke a thread on the other
// core. BEGIN IMMEDIATE is what the writer pool's
// _txlock=immediate makes BeginTx send; statements go through the
// driver's per-connection statement cache (_stmt_cache_size).
func (s *Store) connTx(ctx context.Context, fn func(txQ) error) error {
	if s.pg {
		return s.tx(ctx, func(tx *sql.Tx) error { return fn(tx) })
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	err = fn(conn)
	if err == nil {
		if _, err = conn.ExecContext(ctx, "COMMIT"); err == nil {
			s.observe()
			return nil
		}
	}
	// A failed COMMIT (busy) leaves the transaction open. A connection
	// that cannot roll back is closed rather than handed on inside a
	// transaction.
	if _, rerr := conn.ExecContext(ctx, "ROLLBACK"); rerr != nil && !autocommit(conn) {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	return err
}

// autocommit reports whether the connection is outside a transaction.
func autocommit(conn *sql.Conn) bool {
	auto := false
	conn.Raw(func(dc any) error {
		if c, ok := dc.(*sqlite3.SQLiteConn); ok {
			auto = c.AutoCommit()
		}
		return nil
	})
	return auto
}

// txStmts are one transaction's statements, with what the transaction
// learnt about periods and units (asked once per batch).
type txStmts struct {
	q    txQ
	st   *Store
	seal *sealBufs

	hour, day string
	periods   map[int64]bool        // period id -> accepting answers
	insts     map[int64]*Instrument // period id -> its instrument
	ks        map[int64]int         // period id -> its k (periodK), for the release
	units     map[[2]int64]bool     // (period, unit) -> takes part
}

// The invitation is marked used only when it is still unused and matches
// the response's period, unit and type: of many concurrent submissions of
// one token exactly one finds used = 0.
const sqlMarkUsed = `UPDATE invitations SET used = 1
	WHERE token_hash = ? AND used = 0 AND period_id = ? AND unit_id = ? AND respondent_type = ?
	RETURNING id`

// A submission goes into the pool, sealed, under a random id (DO NOTHING:
// a taken id inserts nothing and another is drawn); see pool.go.
const sqlInsertPooled = `INSERT INTO response_pool (id, period_id, unit_id, respondent_type, sealed) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`

const (
	sqlWhyNot     = `SELECT used FROM invitations WHERE token_hash = ?`
	sqlDropDraft  = `DELETE FROM sealed_drafts WHERE id = ?`
	sqlInstrument = `SELECT definition FROM instruments WHERE id = ?`
	sqlUnitIn     = `SELECT count(*) FROM period_units WHERE period_id = ? AND unit_id = ?`
	// A batch's first look at a period asks, in one statement, what it
	// needs of it: open, its instrument, its k, and whether the first
	// submission's unit takes part (at one commit per response, each
	// statement saved is one fewer per answer).
	sqlPeriodOpen = `SELECT status = 'open' AND (opens_on IS NULL OR opens_on <= ?2) AND (closes_on IS NULL OR closes_on >= ?2), instrument_id, settings,
		EXISTS (SELECT 1 FROM period_units WHERE period_id = ?1 AND unit_id = ?3) FROM periods WHERE id = ?1`
)

func newTxStmts(q txQ, st *Store, seal *sealBufs, now time.Time) *txStmts {
	return &txStmts{q: q, st: st, seal: seal, hour: hourOf(now), day: now.UTC().Format(time.DateOnly),
		periods: map[int64]bool{}, insts: map[int64]*Instrument{}, ks: map[int64]int{}, units: map[[2]int64]bool{}}
}

// accepting reports whether the period takes answers now (status and dates,
// read inside the transaction) and the unit takes part in it; asked once
// per period and unit in a batch.
func (ts *txStmts) accepting(ctx context.Context, periodID, unitID int64) (bool, error) {
	key := [2]int64{periodID, unitID}
	open, ok := ts.periods[periodID]
	if !ok {
		var instID int64
		var settings string
		var in bool
		err := ts.q.QueryRowContext(ctx, sqlPeriodOpen, periodID, ts.day, unitID).Scan(&open, &instID, &settings, &in)
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
			ts.ks[periodID] = minGroup(settings)
			ts.units[key] = in
		}
		ts.periods[periodID] = open
	}
	if !open {
		return false, nil
	}
	in, ok := ts.units[key]
	if !ok {
		var n int
		if err := ts.q.QueryRowContext(ctx, sqlUnitIn, periodID, unitID).Scan(&n); err != nil {
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
	if err := ts.q.QueryRowContext(ctx, sqlInstrument, id).Scan(&def); err != nil {
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
		err := ts.q.QueryRowContext(ctx, sqlMarkUsed, sub.TokenHash, r.PeriodID, r.UnitID, r.Type).Scan(&invitationID)
		if errors.Is(err, sql.ErrNoRows) {
			var used int
			if err := ts.q.QueryRowContext(ctx, sqlWhyNot, sub.TokenHash).Scan(&used); err == nil && used == 1 {
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
		res, err := ts.q.ExecContext(ctx, sqlInsertPooled, id, r.PeriodID, r.UnitID, r.Type, box)
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
		if _, err := ts.q.ExecContext(ctx, sqlDropDraft, ts.st.draftID(sub.TokenHash)); err != nil {
			return true, fmt.Errorf("survey: submit: delete draft: %w", err)
		}
	}
	return true, nil
}
