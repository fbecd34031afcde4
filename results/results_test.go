package results

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"integritas/analysis"
	"integritas/assets"
	"integritas/internal/demo"
	"integritas/survey"
)

// The answer encoding is written by survey and read by analysis: it must agree.
func TestAnswerEncodingAgrees(t *testing.T) {
	pairs := []struct {
		name   string
		survey byte
		engine byte
	}{
		{"none", survey.AnswerNone, analysis.NoAnswer},
		{"yes", survey.AnswerYes, analysis.Yes},
		{"no", survey.AnswerNo, analysis.No},
		{"dont know", survey.AnswerDontKnow, analysis.DontKnow},
	}
	for _, p := range pairs {
		if p.survey != p.engine {
			t.Errorf("%s: survey writes %d, analysis reads %d", p.name, p.survey, p.engine)
		}
	}
}

func demoStore(t testing.TB) *survey.Store {
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
	return st
}

func TestComputeDemoCity(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	r, err := Compute(ctx, st, demo.Current, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Results.Units) != len(r.Units) || len(r.Input.Responses) == 0 {
		t.Fatalf("%d unit results for %d units, %d responses", len(r.Results.Units), len(r.Units), len(r.Input.Responses))
	}
	// Responses read back equal the stored count, per unit.
	counts, _ := st.ResponseCounts(ctx, r.Period.ID)
	total := 0
	for _, byType := range counts {
		for _, n := range byType {
			total += n
		}
	}
	if total != len(r.Input.Responses) {
		t.Errorf("read %d responses, stored %d", len(r.Input.Responses), total)
	}
	// Corrections reach the engine.
	if got := r.Input.Corrections["DPUPR"]; len(got) != 1 || got[0].Points != 3.5 {
		t.Errorf("DPUPR corrections: %+v", got)
	}
	byCode := map[string]analysis.UnitResult{}
	for _, u := range r.Results.Units {
		byCode[u.Code] = u
	}
	if u := byCode["KESBANGPOL"]; !u.Suppressed || u.Index != nil {
		t.Errorf("KESBANGPOL has 4 internal and 3 external respondents; its index must be suppressed: %+v", u.IndexFigure)
	}
	if u := byCode["DPUPR"]; u.Index == nil || u.Correction.Points != 3.5 {
		t.Errorf("DPUPR: index %v, correction %+v", u.Index, u.Correction)
	}
	// Every result states the method version among its settings.
	if r.Results.Settings.Method != analysis.MethodVersion || analysis.MethodVersion != "spi-method v2" {
		t.Errorf("method %q", r.Results.Settings.Method)
	}
	if _, err := Compute(ctx, st, "NOPE", Options{}); err == nil {
		t.Error("unknown period computed")
	}
}
