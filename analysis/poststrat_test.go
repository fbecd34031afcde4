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
		{"all cells at least min_cell", []string{"a", "a", "a", "a", "b", "b", "b", "b"}, map[string]int{"a": 10, "b": 10}, ""},
		{"a thin cell merges: one cell", []string{"a", "a", "a", "a", "a", "a", "b", "b"}, map[string]int{"a": 10, "b": 10}, "one cell"},
		{"populated band without respondents merges", []string{"a", "a", "a", "a", "a", "a", "a", "a"}, map[string]int{"a": 10, "b": 10}, "one cell"},
		{"respondent outside the table: own cell", []string{"a", "a", "a", "a", "b", "b", "b", "c"}, map[string]int{"a": 10, "b": 10}, ""},
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

func TestCollapseCells(t *testing.T) {
	// bands in sorted order a(2) b(30) c(4) d(25) + 3 without a band; min_cell 20:
	// a (2) merges into b, then c (4) into d (25 < 32), leaving {a,b} {c,d} and
	// the no-band cell at its sample share 3/64.
	var labels []string
	for s, n := range map[string]int{"a": 2, "b": 30, "c": 4, "d": 25, "": 3} {
		for range n {
			labels = append(labels, s)
		}
	}
	pop := map[string]int{"a": 10, "b": 100, "c": 20, "d": 70}
	cells, Nh := collapse(labels, pop, 20)
	share := 3.0 / 64
	want := []float64{110 * (1 - share), 90 * (1 - share), 200 * share}
	if len(Nh) != 3 {
		t.Fatalf("cells %v", Nh)
	}
	for g := range want {
		if !near(Nh[g], want[g], 1e-9) {
			t.Errorf("cell %d: N %v want %v", g, Nh[g], want[g])
		}
	}
	for i, l := range labels {
		if w := map[string]int{"a": 0, "b": 0, "c": 1, "d": 1, "": 2}[l]; cells[i] != w {
			t.Errorf("label %q in cell %d, want %d", l, cells[i], w)
		}
	}
}

// TestThinBandStable: one more respondent in a thin band moves a
// post-stratified index by less than 5 points (issue 12: 84.69 → 59.27).
func TestThinBandStable(t *testing.T) {
	in := strataInput()
	in.Settings.Weighting = WeightingPoststrat
	in.Settings.MinCell = 5
	before, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for _, a := range [][]byte{{1, 1, Yes, 0}, {5, 5, No, 0}} {
		in2 := strataInput()
		in2.Settings.Weighting = WeightingPoststrat
		in2.Settings.MinCell = 5
		in2.Responses = append(in2.Responses, Response{ID: 99, Unit: "U1", Type: Internal, Stratum: "c", Hour: t0, Duration: 300, Answers: a})
		after, err := Compute(in2)
		if err != nil {
			t.Fatal(err)
		}
		d := math.Abs(*after.Units[0].Index - *before.Units[0].Index)
		worst = max(worst, d)
		if d >= 5 {
			t.Errorf("one extreme respondent in the thin band moved the index by %.2f points", d)
		}
	}
	t.Logf("largest move from one more thin-band respondent: %.2f points", worst)
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
	// min_cell 20 > the 15 respondents: one cell, the unweighted mean, said so
	if c.Weighted || !strings.Contains(c.Weighting, "fallback") {
		t.Errorf("weighting %q weighted %v", c.Weighting, c.Weighted)
	}
	// with min_cell 5, c (2) merges into b: weights apply without dropping anyone
	in.Settings.MinCell = 5
	res, _ = Compute(in)
	if c := res.Units[0].Components[Internal]; !c.Weighted || c.Weighting != WeightingPoststrat || *c.N != 15 {
		t.Errorf("weighting %q weighted %v", c.Weighting, c.Weighted)
	}
}
