package analysis

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// toJSON decodes v's JSON into generic values.
func toJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// jsonDiff returns the path of the first difference between two decoded
// JSON values, numbers compared with a relative tolerance, or "".
func jsonDiff(a, b any, tol float64, path string) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return path
		}
		for k := range x {
			if d := jsonDiff(x[k], y[k], tol, path+"."+k); d != "" {
				return d
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path
		}
		for i := range x {
			if d := jsonDiff(x[i], y[i], tol, fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case float64:
		y, ok := b.(float64)
		if !ok || !near(x, y, tol) {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
	default:
		if a != b {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
	}
	return ""
}

// eachScore calls f with every published score, CI end and index of the results.
func eachScore(res *Results, f func(what string, v float64)) {
	fig := func(what string, g Figure) {
		if g.Score != nil {
			f(what, *g.Score)
			f(what+" ci", g.CI[0])
			f(what+" ci", g.CI[1])
		}
	}
	comps := func(where string, cs map[string]*Component) {
		for t, c := range cs {
			fig(where+" "+t, c.Figure)
			for e, ef := range c.Elements {
				fig(where+" "+t+" "+e, ef.Figure)
			}
			for _, s := range c.Strata {
				fig(where+" stratum "+s.Stratum, s.Figure)
			}
		}
	}
	idx := func(where string, x IndexFigure) {
		if x.Index != nil {
			f(where+" index", *x.Index)
			f(where+" index ci", x.CI[0])
			f(where+" index ci", x.CI[1])
		}
	}
	for _, u := range res.Units {
		idx(u.Code, u.IndexFigure)
		comps(u.Code, u.Components)
	}
	idx("city", res.City.Pooled.IndexFigure)
	comps("city", res.City.Pooled.Components)
}

func TestPropertyScoresWithinRange(t *testing.T) {
	for seed := range uint64(12) {
		rng := rand.New(rand.NewPCG(seed, 99))
		in := genInput(seed, 1+rng.IntN(6), 50+rng.IntN(400), 10+rng.IntN(30))
		in.Settings.MinGroup = 3 + rng.IntN(3)
		in.Settings.MinGroupText = 10
		in.Settings.IncludeFlagged = rng.IntN(2) == 0
		if rng.IntN(2) == 0 {
			in.Settings.Weighting = WeightingPoststrat
		}
		in.Settings.TypeWeights = map[string]float64{Internal: rng.Float64(), External: rng.Float64(), Expert: rng.Float64() + 0.01}
		for _, u := range in.Units {
			in.Corrections[u.Code] = []Correction{{Points: 30 * rng.Float64()}}
		}
		res, err := Compute(in)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		eachScore(res, func(what string, v float64) {
			if !(v >= 0 && v <= 100) {
				t.Errorf("seed %d: %s = %v outside 0–100", seed, what, v)
			}
		})
	}
}

func TestPropertyReverseTwiceIsIdentity(t *testing.T) {
	for _, k := range []int{4, 5, 6, 10} {
		for _, rev := range []bool{false, true} {
			it := itemInfo{kind: Ordinal, points: k, reverse: rev}
			twice := it
			twice.reverse = !twice.reverse
			twice.reverse = !twice.reverse
			for a := range k + 1 {
				if s1, s2 := itemScore(&it, byte(a)), itemScore(&twice, byte(a)); s1 != s2 && !(math.IsNaN(s1) && math.IsNaN(s2)) {
					t.Errorf("k %d answer %d: %v vs %v", k, a, s1, s2)
				}
			}
		}
	}
	// reversing an item and mirroring its answers (v → k+1−v) leaves every score unchanged
	in := genInput(3, 3, 300, 20)
	in.Settings.IncludeFlagged = true // raw positions feed the quality checks, not the scores
	base, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	mirrored := in
	mirrored.Items = append([]Item(nil), in.Items...)
	mirrored.Responses = append([]Response(nil), in.Responses...)
	for j, it := range mirrored.Items {
		if it.Kind != Ordinal {
			continue
		}
		mirrored.Items[j].Reverse = !it.Reverse
		for i := range mirrored.Responses {
			r := &mirrored.Responses[i]
			if i == 0 || &r.Answers[0] == &in.Responses[i].Answers[0] {
				r.Answers = append([]byte(nil), r.Answers...)
			}
			if a := r.Answers[j]; a != NoAnswer && a != DontKnow {
				r.Answers[j] = byte(it.Points + 1 - int(a))
			}
		}
	}
	got, err := Compute(mirrored)
	if err != nil {
		t.Fatal(err)
	}
	if d := jsonDiff(toJSON(t, base.Units), toJSON(t, got.Units), 1e-9, "units"); d != "" {
		t.Errorf("mirrored answers on reversed items changed %s", d)
	}
}

func TestPropertyPermutingRespondents(t *testing.T) {
	in := genInput(5, 6, 900, 24)
	// a coached cluster so the permutation baseline is exercised too
	for i := range 40 {
		r := in.Responses[i]
		r.Unit, r.Type, r.Hour = in.Units[0].Code, Internal, time.Date(2026, 3, 2, i%24, 0, 0, 0, time.UTC)
		r.Answers = append([]byte(nil), in.Responses[0].Answers...)
		in.Responses[i] = r
	}
	base, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 3 {
		shuffled := in
		shuffled.Responses = append([]Response(nil), in.Responses...)
		rng.Shuffle(len(shuffled.Responses), func(i, j int) {
			shuffled.Responses[i], shuffled.Responses[j] = shuffled.Responses[j], shuffled.Responses[i]
		})
		got, err := Compute(shuffled)
		if err != nil {
			t.Fatal(err)
		}
		if d := jsonDiff(toJSON(t, base), toJSON(t, got), 1e-9, "results"); d != "" {
			t.Errorf("trial %d: permuting respondents changed %s", trial, d)
		}
	}
}

// addSmallUnit adds a unit with n responses of every type copied from
// existing ones, durations unknown so the period's speeder median stays put.
func addSmallUnit(in Input, code string, n int) Input {
	out := in
	out.Units = append(append([]Unit(nil), in.Units...), Unit{Code: code, Name: code})
	out.Responses = append([]Response(nil), in.Responses...)
	id := int64(10_000_000)
	for _, typ := range Types() {
		got := 0
		for _, r := range in.Responses {
			if r.Type == typ && got < n {
				r.ID, r.Unit, r.Duration, r.Device = id, code, 0, ""
				id++
				out.Responses = append(out.Responses, r)
				got++
			}
		}
	}
	return out
}

// TestPropertySmallUnitChangesNoOtherUnit: starting from a city with no
// small units, adding a unit with n < k changes no other unit's published
// figure — index, components, elements, prevalence, risk elements and hot
// spots (measured against the rest of the city's published cells) — nor
// the city's figures, which cover published cells only (spi-method v2 §8).
func TestPropertySmallUnitChangesNoOtherUnit(t *testing.T) {
	for _, w := range []string{WeightingNone, WeightingPoststrat} {
		base := genInput(8, 5, 1000, 24)
		base.Settings.Weighting = w
		before, err := Compute(base)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range before.Units {
			for typ, c := range u.Components {
				if c.Suppressed && typ != Expert {
					t.Fatalf("test data: %s %s is small", u.Code, typ)
				}
			}
		}
		changed := 0
		for _, n := range []int{1, 2, 4} {
			after, err := Compute(addSmallUnit(base, "new", n))
			if err != nil {
				t.Fatal(err)
			}
			for i, u := range before.Units {
				if d := jsonDiff(toJSON(t, u), toJSON(t, after.Units[i]), 0, u.Code); d != "" {
					t.Errorf("%s: adding a unit of %d changed %s", w, n, d)
					changed++
				}
			}
			if d := jsonDiff(toJSON(t, before.City.Pooled), toJSON(t, after.City.Pooled), 0, "city"); d != "" {
				t.Errorf("%s: adding a unit of %d changed the city: %s", w, n, d)
				changed++
			}
			nu := len(after.Units)
			if nw := after.Units[nu-1]; !nw.Suppressed || nw.Index != nil || !nw.Components[Internal].Suppressed {
				t.Errorf("the new unit's figures are shown: %+v", nw.IndexFigure)
			}
		}
		t.Logf("%s: adding a unit of 1, 2 or 4 respondents changed %d other published figures", w, changed)
	}
}
