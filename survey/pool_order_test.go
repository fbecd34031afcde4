package survey

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"integritas/internal/pgtest"
)

// recordingTx is a transaction that keeps the text arguments of every
// statement: what a statement log (log_statement = all, or a slow-query
// log) shows beside each statement.
type recordingTx struct {
	txQ
	args []string
}

func (r *recordingTx) note(args []any) {
	for _, a := range args {
		if s, ok := a.(string); ok {
			r.args = append(r.args, s)
		}
	}
}

func (r *recordingTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	r.note(args)
	return r.txQ.ExecContext(ctx, q, args...)
}

func (r *recordingTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	r.note(args)
	return r.txQ.QueryContext(ctx, q, args...)
}

func (r *recordingTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	r.note(args)
	return r.txQ.QueryRowContext(ctx, q, args...)
}

// TestReleaseNamesPoolRowsInIDOrder: a release reads and deletes its pool
// rows by one list of their ids. Listed in the shuffled order in which the
// responses are stored (consecutive ids), the list would pair, in a
// statement log, the i-th pool row — which the submission's own statements
// join to its invitation — with the i-th response of the batch.
func TestReleaseNamesPoolRowsInIDOrder(t *testing.T) {
	ctx := context.Background()
	st := testStore(t, pgtest.Enabled(), WithClock(func() time.Time { return testClock }))
	p := newPeriod(t, st, "P")
	us, err := st.Units(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	g := group{p.ID, us[0].ID, Internal}
	a, probs := p.Instrument.ParseAnswers(Internal, map[string]string{"T01": "3", "SOS01": "3", "SOS02": "4"})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	const n = 16 // a shuffle of 16 comes out sorted once in 2·10¹³
	var buf sealBufs
	for range n {
		id := randomID()
		r := NewResponse{PeriodID: g.period, UnitID: g.unit, Type: g.typ, Channel: ChannelInvitation, Duration: 100, Lang: "id", Answers: a}
		box, err := st.sealSubmission(&buf, &r, "2026-06-15T09", id, poolSize(p.Instrument, g.typ))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.w.ExecContext(ctx, sqlInsertPooled, id, g.period, g.unit, g.typ, box); err != nil {
			t.Fatal(err)
		}
	}
	rec := &recordingTx{}
	err = st.tx(ctx, func(tx *sql.Tx) error {
		rec.txQ = tx
		_, err := st.releaseGroup(ctx, rec, g, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	lists := 0
	for _, arg := range rec.args {
		var ids []int64
		if json.Unmarshal([]byte(arg), &ids) != nil || len(ids) < 2 {
			continue
		}
		lists++
		if !slices.IsSorted(ids) {
			t.Errorf("a release names its pool rows in the order it stores them: %v", ids)
		}
	}
	if lists < 2 {
		t.Errorf("the release sent %d lists of pool ids; want its read and its delete", lists)
	}
	if got := count(t, st, `SELECT count(*) FROM responses`); got != n {
		t.Errorf("%d responses released; want %d", got, n)
	}
}
