package loadtest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"integritas/survey"
)

func TestQuantileAndCommas(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, x := range n {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	for _, c := range []struct {
		in   []time.Duration
		q    float64
		want time.Duration
	}{
		{nil, 0.5, 0},
		{ms(7), 0.99, 7 * time.Millisecond},
		{ms(1, 2, 3, 4), 0.5, 2 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.99, 10 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.9, 9 * time.Millisecond},
	} {
		if got := Quantile(c.in, c.q); got != c.want {
			t.Errorf("Quantile(%v, %v) = %v, want %v", c.in, c.q, got, c.want)
		}
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := commas(n); got != want {
			t.Errorf("commas(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestMixAndSubmissions: the same seed draws the same respondents, the
// share of invitations follows the mix until the links run out, and the
// drawn answers pass the instrument's own validation for their type.
func TestMixAndSubmissions(t *testing.T) {
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(t.TempDir(), "m.db"), survey.WithPoolRelease(1))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fx, err := Prepare(ctx, st, "M", 3, 300)
	if err != nil {
		t.Fatal(err)
	}
	a, b := &Mix{Fixture: fx, Invitation: 0.5, Seed: 9}, &Mix{Fixture: fx, Invitation: 0.5, Seed: 9}
	inv := 0
	for i := range 400 {
		ja, _ := a.Job(i)
		jb, _ := b.Job(i)
		if ja != jb {
			t.Fatalf("job %d differs for the same seed: %+v %+v", i, ja, jb)
		}
		if ja.Kind.Invitation() {
			inv++
		}
	}
	if inv < 150 || inv > 250 {
		t.Errorf("%d of 400 on invitations with mix 0.5", inv)
	}
	ids, err := UnitIDs(ctx, st, fx.Period.ID)
	if err != nil {
		t.Fatal(err)
	}
	subs, err := (&Mix{Fixture: fx, Invitation: 1, Seed: 2}).Submissions(350, ids)
	if err != nil {
		t.Fatal(err)
	}
	var tokens, open int
	for _, s := range subs {
		if s.TokenHash != nil {
			tokens++
		} else if len(s.Response.DeviceHash) == 32 {
			open++
		}
		if s.Response.UnitID == 0 || s.Response.Answers.Answered() < 10 {
			t.Fatalf("submission without a unit or answers: %+v", s.Response)
		}
	}
	if tokens != 300 || open != 50 {
		t.Errorf("%d invitation and %d open-link submissions; want 300 (every link) and 50", tokens, open)
	}
	if rate, err := RawCommitter(ctx, st, subs, 8); err != nil || rate <= 0 {
		t.Fatalf("raw committer: %v %v", rate, err)
	}
	var used int
	counts, _ := st.ResponseCounts(ctx, fx.Period.ID)
	for _, byType := range counts {
		for _, n := range byType {
			used += n
		}
	}
	if used != 350 {
		t.Errorf("%d responses stored by the raw committer, want 350", used)
	}
}
