package analysis

import "testing"

// periodOf builds results of one unit with an internal component and an index.
func periodOf(index, se, df float64, scores []float64, suppressed bool) *Results {
	n := len(scores)
	e := meanEstimate(scores, 0)
	comp := &Component{Figure: Figure{Score: ptr(e.mean), SE: ptr(e.se), N: &n}, DF: ptr(e.df)}
	u := UnitResult{Code: "U", Name: "Unit", Components: map[string]*Component{Internal: comp}}
	if suppressed {
		comp.Figure = Figure{Suppressed: true, Suppression: SuppressMinGroup}
		u.IndexFigure = IndexFigure{Suppressed: true}
	} else {
		u.IndexFigure = IndexFigure{Index: ptr(index), SE: ptr(se), DF: ptr(df)}
	}
	return &Results{Units: []UnitResult{u}, Scores: map[string]map[string][]float64{"U": {Internal: scores}}}
}

func TestCompare(t *testing.T) {
	earlier := periodOf(70, 3, 20, []float64{1, 2, 3, 4, 5}, false)
	later := periodOf(75, 4, 30, []float64{2, 4, 6, 8, 10}, false)
	ch := Compare(earlier, later)
	if len(ch) != 1 {
		t.Fatalf("%d changes", len(ch))
	}
	c := ch[0].Components[Internal]
	// the difference of the published estimates equals Welch's test here:
	// diff 6 − 3 = 3; SE √(2.5/5 + 10/5) = √2.5; df (0.5 + 2)²/(0.5²/4 + 2²/4) = 5.88235;
	// R t.test(c(2,4,6,8,10), c(1,2,3,4,5)): p 0.107531194930627, CI −0.887741643736975 … 6.887741643736975
	checks := []struct {
		name      string
		got, want float64
	}{
		{"diff", *c.Diff, 3},
		{"se", *c.SE, 1.5811388300841898},
		{"df", *c.DF, 5.882352941176471},
		{"p", *c.P, 0.107531194930627},
		{"ci low", c.CI[0], -0.887741643736975},
		{"ci high", c.CI[1], 6.887741643736975},
		// index: 75 − 70 = 5; SE √(3² + 4²) = 5; df 25²/(3⁴/20 + 4⁴/30) = 49.6688741721854;
		// half qt(.975, df)·5 = 10.0444546851721; p 2·pt(−1, df) = 0.322157582550137
		{"index diff", *ch[0].Index.Diff, 5},
		{"index se", *ch[0].Index.SE, 5},
		{"index df", *ch[0].Index.DF, 49.668874172185433},
		{"index ci low", ch[0].Index.CI[0], 5 - 10.044454685172077},
		{"index p", *ch[0].Index.P, 0.322157582550137},
	}
	for _, tc := range checks {
		if !near(tc.got, tc.want, 1e-9) {
			t.Errorf("%s: got %.15g, want %.15g", tc.name, tc.got, tc.want)
		}
	}
}

func TestCompareSuppressed(t *testing.T) {
	earlier := periodOf(70, 3, 20, []float64{1, 2, 3, 4, 5}, true)
	later := periodOf(75, 4, 30, []float64{2, 4, 6, 8, 10}, false)
	for _, pair := range [][2]*Results{{earlier, later}, {later, earlier}} {
		ch := Compare(pair[0], pair[1])
		if !ch[0].Index.Suppressed || ch[0].Index.Diff != nil || !ch[0].Components[Internal].Suppressed || ch[0].Components[Internal].Diff != nil {
			t.Errorf("either side suppressed should suppress the change: %+v", ch[0])
		}
	}
	// a unit only in one period has no change
	other := periodOf(75, 4, 30, []float64{2, 4, 6, 8, 10}, false)
	other.Units[0].Code = "V"
	if ch := Compare(earlier, other); len(ch) != 0 {
		t.Errorf("unit in one period compared: %+v", ch)
	}
	if Compare(nil, later) != nil {
		t.Error("nil results compared")
	}
}

// TestCompareIdenticalPeriods: identical periods show zero change
// everywhere — index, components, elements — weighted or not (issue 12: a
// −22-point component change beside an index change of 0.00).
func TestCompareIdenticalPeriods(t *testing.T) {
	for _, w := range []string{WeightingNone, WeightingPoststrat} {
		in := genInput(21, 6, 900, 24)
		in.Settings.Weighting = w
		a, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		checked, nonzero := 0, 0
		zero := func(d *Difference) {
			if d == nil || d.Suppressed {
				return
			}
			checked++
			if *d.Diff != 0 || d.CI[0] != -d.CI[1] || (d.P != nil && *d.P != 1) {
				nonzero++
				t.Errorf("%s: identical periods changed: %+v", w, d)
			}
		}
		for _, ch := range Compare(a, b) {
			zero(&ch.Index)
			for _, d := range ch.Components {
				zero(d)
			}
			for _, els := range ch.Elements {
				for _, d := range els {
					zero(d)
				}
			}
		}
		if checked < 50 {
			t.Errorf("only %d differences compared", checked)
		}
		t.Logf("%s: %d changes between identical periods, %d non-zero", w, checked, nonzero)
	}
}

// TestCompareMatchesPublished: a component change is the difference of the
// two published (post-stratified) scores, never of other numbers.
func TestCompareMatchesPublished(t *testing.T) {
	in1, in2 := genInput(31, 4, 700, 16), genInput(32, 4, 700, 16)
	in2.Units, in2.Strata = in1.Units, in1.Strata
	in1.Settings.Weighting, in2.Settings.Weighting = WeightingPoststrat, WeightingPoststrat
	a, _ := Compute(in1)
	b, _ := Compute(in2)
	for i, ch := range Compare(a, b) {
		for typ, d := range ch.Components {
			if d.Suppressed {
				continue
			}
			want := *b.Units[i].Components[typ].Score - *a.Units[i].Components[typ].Score
			if !near(*d.Diff, want, 1e-12) {
				t.Errorf("%s %s: change %v, published scores differ by %v", ch.Unit, typ, *d.Diff, want)
			}
		}
	}
}
