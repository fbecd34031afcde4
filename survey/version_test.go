package survey

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// TestDataVersionCounts checks the response counts the triggers keep
// (0017_period_counts.sql): a period's version changes on every insert,
// delete and update of its responses, only its own, its count equals
// count(*), and an insert into a closed period, refused, counts nothing.
func TestDataVersionCounts(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p, q := newPeriod(t, st, "P"), newPeriod(t, st, "Q")
	u, err := st.Unit(ctx, p.ID, "DINKES")
	if err != nil {
		t.Fatal(err)
	}
	uq, err := st.Unit(ctx, q.ID, "DINKES")
	if err != nil {
		t.Fatal(err)
	}
	version := func(id int64) string {
		t.Helper()
		v, err := st.DataVersion(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// check returns p's version after checking its count and edits.
	check := func(step string, edits int) string {
		t.Helper()
		v := version(p.ID)
		want := strconv.Itoa(count(t, st, "SELECT count(*) FROM responses WHERE period_id = ?", p.ID)) + "." + strconv.Itoa(edits)
		if got, _, _ := strings.Cut(v, "/"); got != want {
			t.Errorf("after %s: responses part %q, want %q", step, got, want)
		}
		return v
	}
	insert := func(period *Period, unit Unit, n int) {
		t.Helper()
		rs := make([]NewResponse, n)
		for i := range rs {
			rs[i] = NewResponse{PeriodID: period.ID, UnitID: unit.ID, Type: Internal, Channel: ChannelPaper, Submitted: testClock, Duration: 100 + i,
				Answers: Answers{Vector: make([]byte, len(period.Instrument.Items))}}
		}
		if err := st.InsertResponses(ctx, rs); err != nil {
			t.Fatal(err)
		}
	}
	v0 := check("start", 0)
	insert(p, u, 3)
	v1 := check("insert", 0)
	vq := version(q.ID)
	insert(q, uq, 2)
	if check("insert into Q", 0) != v1 || version(q.ID) == vq {
		t.Error("an insert into Q changed P's version or not Q's")
	}
	if _, err := st.w.ExecContext(ctx, "UPDATE responses SET duration_seconds = 7 WHERE id = (SELECT min(id) FROM responses WHERE period_id = ?)", p.ID); err != nil {
		t.Fatal(err)
	}
	v2 := check("update", 1)
	if _, err := st.w.ExecContext(ctx, "DELETE FROM responses WHERE id = (SELECT min(id) FROM responses WHERE period_id = ?)", p.ID); err != nil {
		t.Fatal(err)
	}
	v3 := check("delete", 2)
	insert(p, u, 1)
	v4 := check("insert after delete", 2)
	seen := map[string]bool{}
	for _, v := range []string{v0, v1, v2, v3, v4} {
		if seen[v] {
			t.Errorf("version %q seen twice: %q %q %q %q %q", v, v0, v1, v2, v3, v4)
		}
		seen[v] = true
	}
	if err := st.SetPeriodStatus(ctx, "P", StatusOpen); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPeriodStatus(ctx, "P", StatusClosed); err != nil {
		t.Fatal(err)
	}
	closed := version(p.ID)
	if err := st.InsertResponses(ctx, []NewResponse{{PeriodID: p.ID, UnitID: u.ID, Type: Internal, Channel: ChannelPaper, Submitted: testClock,
		Answers: Answers{Vector: make([]byte, len(p.Instrument.Items))}}}); err == nil {
		t.Fatal("insert into a closed period accepted")
	}
	if version(p.ID) != closed {
		t.Error("a refused insert changed the version")
	}
	check("refused insert", 2)
}
