package results

import (
	"context"
	"sync"
	"testing"

	"integritas/internal/demo"
	"integritas/survey"
)

func TestCacheRecomputesOnlyWhenDataChanges(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	c := NewCache(st)
	a, err := c.Get(ctx, demo.Current, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Get(ctx, demo.Current, Options{})
	if a != b {
		t.Error("unchanged data recomputed")
	}
	// Concurrent readers share one computation.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, err := c.Get(ctx, demo.Current, Options{}); err != nil || r != a {
				t.Errorf("concurrent get: %v", err)
			}
		}()
	}
	wg.Wait()
	// A decision changes the version: the next Get recomputes under it.
	dec, err := st.AddDecision(ctx, survey.Decision{PeriodID: a.Period.ID, UnitCode: "DISHUB", Action: survey.DecisionWithhold, Reason: "uji", DecidedBy: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := c.Get(ctx, demo.Current, Options{}); w == a || len(w.Decisions) != 1 || w.Decisions[0].ID != dec {
		t.Error("a new decision did not recompute the results")
	}
	// A new correction changes the version and the unit's index.
	if _, err := st.AddCorrection(ctx, survey.Correction{PeriodID: a.Period.ID, UnitCode: "DINKES", Points: 2, Reason: "x", SetBy: "t"}); err != nil {
		t.Fatal(err)
	}
	d, _ := c.Get(ctx, demo.Current, Options{})
	if d == a {
		t.Fatal("a new correction did not invalidate the cache")
	}
	for i, u := range d.Results.Units {
		if u.Code == "DINKES" && (u.Index == nil || a.Results.Units[i].Index == nil || *a.Results.Units[i].Index-*u.Index < 1.99) {
			t.Errorf("DINKES index %v → %v after a 2-point correction", a.Results.Units[i].Index, u.Index)
		}
	}
	if _, err := c.Get(ctx, "NOPE", Options{}); err == nil {
		t.Error("unknown period")
	}
}
