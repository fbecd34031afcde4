package export

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"integritas/assets"
	"integritas/internal/demo"
	"integritas/results"
	"integritas/survey"
)

// evil is a unit name a spreadsheet would run as a formula if it were not
// neutralised.
const evil = `=HYPERLINK("http://x")`

// demoStore builds the demo city and gives one unit the evil name.
func demoStore(t testing.TB) (*survey.Store, *survey.Period) {
	t.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	if _, err := demo.Build(ctx, st, demo.Options{Seed: 7, Now: now, Instrument: assets.DefaultInstrument()}); err != nil {
		t.Fatal(err)
	}
	p, err := st.Period(ctx, demo.Current)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.Unit(ctx, p.ID, "DINKES")
	if err != nil {
		t.Fatal(err)
	}
	u.Name = evil
	if err := st.UpdateUnit(ctx, p.ID, u); err != nil {
		t.Fatal(err)
	}
	return st, p
}

func compute(t testing.TB, st *survey.Store) *results.Period {
	t.Helper()
	r, err := results.Compute(context.Background(), st, demo.Current, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// answersOf reads what an answers export needs through results, as the
// server and the command line do.
func answersOf(t testing.TB, st *survey.Store, p *survey.Period) *results.Answers {
	t.Helper()
	src, err := results.AnswersOf(context.Background(), st, p)
	if err != nil {
		t.Fatal(err)
	}
	return src
}
