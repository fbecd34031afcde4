package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"integritas/internal/synth"
	"integritas/survey"
)

// incFixture is a small open-able period on a real SQLite file with the
// ways its data change: released batches, imports, decisions, corrections
// and settings.
type incFixture struct {
	t     *testing.T
	ctx   context.Context
	st    *survey.Store
	p     *survey.Period
	units []survey.Unit
	rng   *rand.Rand
	com   *survey.Committer
	start time.Time
}

func newIncFixture(t *testing.T, seed uint64) *incFixture {
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(t.TempDir(), "inc.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	start := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	p, err := synth.Period(ctx, st, synth.Spec{Code: "INC", Units: 4, Responses: 240, Start: start, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	units, err := st.Units(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &incFixture{t: t, ctx: ctx, st: st, p: p, units: units, rng: rand.New(rand.NewPCG(seed, 16)), start: start}
}

// response draws a response of unit u and type typ; with copyOf it repeats
// that vector from the same device, to exercise the duplicate check.
func (f *incFixture) response(u int, typ, channel string, device []byte) survey.NewResponse {
	return survey.NewResponse{PeriodID: f.p.ID, UnitID: f.units[u].ID, Type: typ, Channel: channel,
		Submitted: f.start.Add(time.Duration(f.rng.IntN(400)) * time.Hour), Duration: 20 + f.rng.IntN(700), Lang: "id", DeviceHash: device,
		Answers: survey.Answers{Vector: synth.Answers(f.p.Instrument, typ, 0.5+0.4*f.rng.Float64(), f.rng)}}
}

// importSome stores a few paper and open-link responses as one import;
// some open-link ones repeat one device and answer vector.
func (f *incFixture) importSome() string {
	var rs []survey.NewResponse
	n := 1 + f.rng.IntN(8)
	for range n {
		u, typ := f.rng.IntN(len(f.units)), survey.Types[f.rng.IntN(3)]
		ch := survey.ChannelPaper
		var dev []byte
		if f.rng.IntN(2) == 0 {
			ch, dev = survey.ChannelOpen, []byte(fmt.Sprintf("%032d", f.rng.IntN(3)))
		}
		r := f.response(u, typ, ch, dev)
		if ch == survey.ChannelOpen && f.rng.IntN(2) == 0 {
			r.Answers.Vector = synth.Answers(f.p.Instrument, typ, 0.7, rand.New(rand.NewPCG(1, uint64(u))))
		}
		rs = append(rs, r)
	}
	if err := f.st.InsertResponses(f.ctx, rs); err != nil {
		f.t.Fatal(err)
	}
	return fmt.Sprintf("import %d", n)
}

// submit sends answers of one unit and type through the committer and
// the sealed pool, which releases them in batches of at least k.
func (f *incFixture) submit() string {
	u, typ := f.rng.IntN(len(f.units)), survey.Types[f.rng.IntN(3)]
	n := 1 + f.rng.IntN(12)
	want := make([]survey.NewInvitation, n)
	for i := range want {
		want[i] = survey.NewInvitation{UnitCode: f.units[u].Code, Type: typ}
	}
	inv, err := f.st.CreateInvitations(f.ctx, f.p.ID, want)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, iv := range inv {
		h, err := survey.TokenHash(iv.Token)
		if err != nil {
			f.t.Fatal(err)
		}
		r := f.response(u, typ, survey.ChannelInvitation, nil)
		r.Submitted = time.Time{}
		if err := f.com.Submit(f.ctx, &survey.Submission{TokenHash: h, Response: r}); err != nil {
			f.t.Fatal(err)
		}
	}
	return fmt.Sprintf("submit %d to %s/%s", n, f.units[u].Code, typ)
}

// decide records a random decision, or revokes one in force.
func (f *incFixture) decide() string {
	ds, err := f.st.Decisions(f.ctx, f.p.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, d := range ds {
		if d.RevokedAt.IsZero() && f.rng.IntN(3) == 0 {
			if err := f.st.RevokeDecision(f.ctx, f.p.ID, d.ID, "t", "uji"); err != nil {
				f.t.Fatal(err)
			}
			return fmt.Sprintf("revoke %d", d.ID)
		}
	}
	d := survey.Decision{PeriodID: f.p.ID, UnitCode: f.units[f.rng.IntN(len(f.units))].Code, Reason: "uji", DecidedBy: "t"}
	if f.rng.IntN(3) == 0 {
		d.Action = survey.DecisionWithhold
	} else {
		d.Action, d.Flag = survey.DecisionExcludeFlag, survey.DecisionFlags[f.rng.IntN(len(survey.DecisionFlags))]
	}
	if _, err := f.st.AddDecision(f.ctx, d); err != nil {
		f.t.Fatal(err)
	}
	return "decide " + d.Action + " " + d.Flag + " " + d.UnitCode
}

// correct enters a correction of a few points.
func (f *incFixture) correct() string {
	u := f.units[f.rng.IntN(len(f.units))]
	if _, err := f.st.AddCorrection(f.ctx, survey.Correction{PeriodID: f.p.ID, UnitCode: u.Code, Points: float64(f.rng.IntN(3)), Reason: "x", SetBy: "t"}); err != nil {
		f.t.Fatal(err)
	}
	return "correct " + u.Code
}

// drop deletes a random response behind the store's back (nothing in
// the application deletes one; a restore or an operator might): the cache
// must notice that a response it holds is gone.
func (f *incFixture) drop() string {
	db, err := sql.Open("sqlite3", "file:"+f.st.Path()+"?_foreign_keys=on&_busy_timeout=5000")
	if err != nil {
		f.t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`DELETE FROM responses WHERE id = (SELECT id FROM responses WHERE period_id = ? ORDER BY id LIMIT 1 OFFSET ?)`, f.p.ID, f.rng.IntN(100))
	if err != nil {
		f.t.Fatal(err)
	}
	n, _ := res.RowsAffected()
	return fmt.Sprintf("drop %d", n)
}

// settings changes the speeder and straight-lining thresholds (a draft's).
func (f *incFixture) settings() string {
	s, _ := json.Marshal(map[string]any{"speeder_fraction": 0.2 + 0.3*f.rng.Float64(), "straight_line_items": 5 + f.rng.IntN(10)})
	if err := f.st.UpdatePeriodSettings(f.ctx, f.p.Code, s); err != nil {
		f.t.Fatal(err)
	}
	return "settings " + string(s)
}

// TestIncrementalMatchesFullRecompute drives random sequences of released
// batches, imports, decisions (and revocations), corrections and settings
// changes through the Cache and checks after every step that its results
// equal a fresh computation from the store, and that response-only steps
// were computed incrementally (appended to the cached period in place).
func TestIncrementalMatchesFullRecompute(t *testing.T) {
	steps, incremental := 0, 0
	for seed := range uint64(3) {
		f := newIncFixture(t, seed+1)
		c := NewCache(f.st)
		var last *Period
		check := func(what string) {
			t.Helper()
			steps++
			got, err := c.Get(f.ctx, f.p.Code, Options{})
			if err != nil {
				t.Fatalf("seed %d, %s: cache: %v", seed, what, err)
			}
			want, err := Compute(f.ctx, f.st, f.p.Code, Options{})
			if err != nil {
				t.Fatalf("seed %d, %s: compute: %v", seed, what, err)
			}
			if !reflect.DeepEqual(got.Results, want.Results) || !reflect.DeepEqual(got.Decisions, want.Decisions) {
				t.Fatalf("seed %d, after %s: the cache's results differ from a fresh computation", seed, what)
			}
			if last != nil && got != last && len(last.Input.Responses) > 0 && len(got.Input.Responses) > len(last.Input.Responses) &&
				&got.Input.Responses[0] == &last.Input.Responses[0] {
				incremental++
			}
			last = got
		}
		check("start")
		draft := []func() string{f.importSome, f.importSome, f.decide, f.correct, f.settings}
		for range 12 {
			check(draft[f.rng.IntN(len(draft))]())
		}
		if err := f.st.SetPeriodStatus(f.ctx, f.p.Code, survey.StatusOpen); err != nil {
			t.Fatal(err)
		}
		check("open")
		com, err := f.st.NewCommitter(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		f.com = com
		open := []func() string{f.submit, f.submit, f.submit, f.importSome, f.importSome, f.decide, f.correct, f.drop}
		for range 30 {
			check(open[f.rng.IntN(len(open))]())
		}
		if err := com.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.st.SetPeriodStatus(f.ctx, f.p.Code, survey.StatusClosed); err != nil {
			t.Fatal(err)
		}
		check("close")
	}
	t.Logf("%d steps, %d computed incrementally", steps, incremental)
	if incremental < steps/4 {
		t.Errorf("only %d of %d steps were incremental", incremental, steps)
	}
}
