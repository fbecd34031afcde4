package synth

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"integritas/survey"
)

func TestPeriodSpreadsTypesOverEveryUnit(t *testing.T) {
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := Period(ctx, st, Spec{Code: "S", Units: 10, Parents: 2, Responses: 90, Start: time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC), Seed: 1, Open: true})
	if err != nil {
		t.Fatal(err)
	}
	counts, _ := st.ResponseCounts(ctx, p.ID)
	if len(counts) != 10 {
		t.Fatalf("%d units answered, want 10", len(counts))
	}
	for unit, byType := range counts {
		for _, typ := range survey.Types {
			if byType[typ] != 3 {
				t.Errorf("unit %d type %s: %d responses, want 3", unit, typ, byType[typ])
			}
		}
	}
	u, _ := st.Unit(ctx, p.ID, "U003")
	if u.ParentCode != "U001" || p.Status != survey.StatusOpen {
		t.Errorf("parent %q status %s", u.ParentCode, p.Status)
	}
}
