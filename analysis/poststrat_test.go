package analysis

import (
	"math"
	"strings"
	"testing"
)

func TestPsEstimateHandWorked(t *testing.T) {
	// stratum 0: 10, 20 (N₀ = 6); stratum 1: 30, 50, 70 (N₁ = 4); N = 20, n = 5.
	// ȳ = (6·15 + 4·50)/10 = 29.
	// g₀ = 6/(2·10) = 0.3, g₁ = 4/(3·10); Σ g²(y − ȳ_h)² = 0.09·50 + (4/30)²·800 = 18.7222…
	// V = (1 − 5/20) · 5/4 · 18.7222… = 17.5521 → SE 4.18952065674981 (R svymean on postStratify).
	e := psEstimate([]float64{10, 20, 30, 50, 70}, []int{0, 0, 1, 1, 1}, []float64{6, 4}, 20)
	if !near(e.mean, 29, 1e-12) || !near(e.se, 4.18952065674981, 1e-12) || e.df != 4 || e.n != 5 {
		t.Errorf("got %+v", e)
	}
	want := math.Sqrt(1.25 * (0.09*50 + (4.0/30)*(4.0/30)*800))
	if e := psEstimate([]float64{10, 20, 30, 50, 70}, []int{0, 0, 1, 1, 1}, []float64{6, 4}, 0); !near(e.se, want, 1e-12) {
		t.Errorf("without fpc: se %v want %v", e.se, want)
	}
}

func TestPoststratFallback(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	tests := []struct {
		name   string
		labels []string
		pop    map[string]int
		why    string
	}{
		{"all cells at least k", []string{"a", "a", "a", "a", "b", "b", "b", "b"}, map[string]int{"a": 10, "b": 10}, ""},
		{"a cell under k", []string{"a", "a", "a", "a", "a", "a", "b", "b"}, map[string]int{"a": 10, "b": 10}, "under the minimum"},
		{"populated stratum without respondents", []string{"a", "a", "a", "a", "a", "a", "a", "a"}, map[string]int{"a": 10, "b": 10}, "under the minimum"},
		{"respondent outside the table", []string{"a", "a", "a", "a", "b", "b", "b", "c"}, map[string]int{"a": 10, "b": 10}, "outside"},
		{"no table", []string{"a", "a", "a", "a", "b", "b", "b", "b"}, nil, "no strata"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, why := poststrat(x, tc.labels, tc.pop, 0, 3)
			if (tc.why == "") != (why == "") || !strings.Contains(why, tc.why) {
				t.Errorf("got %q, want %q", why, tc.why)
			}
		})
	}
}

// strataInput has one unit whose internal respondents fall in strata a (6), b (7) and c (2).
func strataInput() Input {
	in := tinyInput()
	in.Responses = nil
	in.Corrections = nil
	in.Units[0].Population = map[string]int{Internal: 40}
	in.Strata = map[string]map[string]int{"U1": {"a": 15, "b": 15, "c": 10}}
	id := int64(1)
	for s, n := range map[string]int{"a": 6, "b": 7, "c": 2} {
		for i := range n {
			in.Responses = append(in.Responses, Response{ID: id, Unit: "U1", Type: Internal, Stratum: s,
				Hour: t0, Duration: 300, Answers: []byte{byte(1 + (i+len(s))%5), byte(1 + i%5), No, 0}})
			id++
		}
	}
	return in
}

func TestStrataBreakdownSuppression(t *testing.T) {
	res, err := Compute(strataInput())
	if err != nil {
		t.Fatal(err)
	}
	c := res.Units[0].Components[Internal]
	got := map[string]StratumFigure{}
	for _, s := range c.Strata {
		got[s.Stratum] = s
	}
	// c (2) is under k; a (6), the next smallest, is hidden so c cannot be
	// recovered from the component minus a and b; b (7) is shown.
	if !got["c"].Suppressed || got["c"].Suppression != SuppressMinGroup {
		t.Errorf("c: %+v", got["c"])
	}
	if !got["a"].Suppressed || got["a"].Suppression != SuppressComplementary || got["a"].Score != nil {
		t.Errorf("a: %+v", got["a"])
	}
	if got["b"].Suppressed || *got["b"].N != 7 || *got["b"].Population != 15 {
		t.Errorf("b: %+v", got["b"])
	}
}

func TestPoststratFallbackInCompute(t *testing.T) {
	in := strataInput()
	in.Settings.Weighting = WeightingPoststrat
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Units[0].Components[Internal]
	// stratum c holds 2 < k respondents: the component falls back to the unweighted mean and says so
	if c.Weighted || !strings.Contains(c.Weighting, "fallback") {
		t.Errorf("weighting %q weighted %v", c.Weighting, c.Weighted)
	}
	// merge c into b's count and drop its respondents' stratum problem: weights apply
	for i := range in.Responses {
		if in.Responses[i].Stratum == "c" {
			in.Responses[i].Stratum = "b"
		}
	}
	in.Strata["U1"] = map[string]int{"a": 15, "b": 25}
	res, _ = Compute(in)
	if c := res.Units[0].Components[Internal]; !c.Weighted || c.Weighting != WeightingPoststrat {
		t.Errorf("weighting %q weighted %v", c.Weighting, c.Weighted)
	}
}
