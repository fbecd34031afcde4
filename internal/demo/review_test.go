package demo

import (
	"context"
	"testing"

	"integritas/analysis"
	"integritas/results"
)

// The demo city shows the decision workflow (spi-method §6): in the current
// period DISHUB's coached cluster awaits a decision (under review), and in
// the previous one DPMPTSP's index was withheld with the reason.
func TestDemoReviewAndWithheld(t *testing.T) {
	st, _ := build(t, 42)
	ctx := context.Background()
	for _, c := range []struct {
		period, unit string
		review, held bool
	}{
		{Current, "DISHUB", true, false},
		{Previous, "DPMPTSP", false, true},
	} {
		r, err := results.Compute(ctx, st, c.period, results.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var under, withheld []string
		for _, u := range r.Results.Units {
			if u.Review.UnderReview {
				under = append(under, u.Code)
			}
			if u.Review.Withheld {
				withheld = append(withheld, u.Code)
				if u.Review.Reason != WithheldReason || u.Category != analysis.CategoryWithheld || u.Index != nil {
					t.Errorf("%s %s withheld: %+v, category %q, index %v", c.period, u.Code, u.Review, u.Category, u.Index)
				}
			}
		}
		wantUnder, wantHeld := 0, 0
		if c.review {
			wantUnder = 1
		}
		if c.held {
			wantHeld = 1
		}
		if len(under) != wantUnder || wantUnder == 1 && under[0] != c.unit {
			t.Errorf("%s: under review %v, want %s", c.period, under, c.unit)
		}
		if len(withheld) != wantHeld || wantHeld == 1 && withheld[0] != c.unit {
			t.Errorf("%s: withheld %v, want %s", c.period, withheld, c.unit)
		}
		t.Logf("%s: under review %v, withheld %v", c.period, under, withheld)
	}
}
