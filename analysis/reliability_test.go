package analysis

import (
	"math"
	"testing"
)

// relRows are five complete cases of three items (scores after reversal).
var relRows = [][]float64{{0, 25, 0}, {25, 25, 50}, {50, 50, 25}, {75, 100, 75}, {100, 75, 100}}

func accOf(rows [][]float64) *relAcc {
	p := len(rows[0])
	a := newRelAcc(p)
	items := make([]int, p)
	for j := range items {
		items[j] = j
	}
	for _, r := range rows {
		a.add(items, r)
	}
	return a
}

func TestReliabilityHandWorked(t *testing.T) {
	// item variances 1562.5, 1062.5, 1562.5; variance of the sum 11062.5:
	// α = 3/2 · (1 − 4187.5/11062.5) = 0.932203389830509 (psych::alpha raw_alpha).
	// r.drop: Pearson r of each item with the sum of the other two;
	// α if deleted: the two-item α of the rest.
	rel := rel1(accOf(relRows).reliability([]string{"x1", "x2", "x3"}, 5))
	if rel == nil {
		t.Fatal("no reliability")
	}
	if !near(rel.Alpha, 0.932203389830509, 1e-12) || rel.N != 5 {
		t.Errorf("alpha %v n %d", rel.Alpha, rel.N)
	}
	rDrop := []float64{0.942809041582063, 0.808717977914339, 0.854704323447285}
	aDrop := []float64{0.833333333333333, 0.947368421052632, 0.909090909090909}
	for j, it := range rel.Items {
		if it.RDrop == nil || !near(*it.RDrop, rDrop[j], 1e-12) || it.AlphaDrop == nil || !near(*it.AlphaDrop, aDrop[j], 1e-12) {
			t.Errorf("item %s: r.drop %v α.drop %v", it.Item, it.RDrop, it.AlphaDrop)
		}
	}
}

func TestReliabilityNotReported(t *testing.T) {
	tests := []struct {
		name string
		rows [][]float64
		k    int
	}{
		{"fewer complete cases than k", relRows[:4], 5},
		{"an item with zero variance", [][]float64{{0, 50, 0}, {25, 50, 50}, {50, 50, 25}, {75, 50, 75}, {100, 50, 100}}, 5},
		{"a single item", [][]float64{{0}, {25}, {50}, {75}, {100}}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if rel := rel1(accOf(tc.rows).reliability([]string{"a", "b", "c"}, tc.k)); rel != nil {
				t.Errorf("got %+v, want nothing", rel)
			}
		})
	}
	var nilAcc *relAcc
	if rel1(nilAcc.reliability(nil, 3)) != nil {
		t.Error("nil accumulator reported")
	}
}

func TestReliabilityTwoItems(t *testing.T) {
	rows := make([][]float64, len(relRows))
	for i, r := range relRows {
		rows[i] = r[:2]
	}
	rel := rel1(accOf(rows).reliability([]string{"x1", "x2"}, 5))
	// two items: α = 2·(1 − (1562.5 + 1062.5)/var(x1 + x2)); no α if deleted
	sum := []float64{25, 50, 100, 175, 175}
	m := 105.0
	v := 0.0
	for _, s := range sum {
		v += (s - m) * (s - m)
	}
	v /= 4
	if want := 2 * (1 - 2625/v); !near(rel.Alpha, want, 1e-12) {
		t.Errorf("alpha %v want %v", rel.Alpha, want)
	}
	for _, it := range rel.Items {
		if it.AlphaDrop != nil {
			t.Errorf("α if deleted for a two-item element: %v", *it.AlphaDrop)
		}
	}
}

func TestReliabilityMergeAndIncomplete(t *testing.T) {
	whole := accOf(relRows)
	a, b := accOf(relRows[:2]), accOf(relRows[2:])
	a.merge(b)
	ra, rw := rel1(a.reliability([]string{"1", "2", "3"}, 5)), rel1(whole.reliability([]string{"1", "2", "3"}, 5))
	if ra == nil || !near(ra.Alpha, rw.Alpha, 1e-12) {
		t.Errorf("merged %v whole %v", ra, rw)
	}
	// an incomplete case is left out (listwise)
	c := accOf(relRows)
	c.add([]int{0, 1, 2}, []float64{10, math.NaN(), 20})
	if c.n != 5 {
		t.Errorf("incomplete case counted: n = %d", c.n)
	}
	// zero variance inside each half but not overall is still variance
	z := accOf([][]float64{{0, 0, 0}, {0, 0, 0}})
	z.merge(accOf([][]float64{{100, 50, 25}, {100, 50, 25}}))
	if rel1(z.reliability([]string{"1", "2", "3"}, 3)) == nil {
		t.Error("merged halves with variance reported as constant")
	}
	// a constant item off the grid of exact binary fractions is still constant
	third := 100.0 / 3
	c3 := accOf([][]float64{{0, third, 10}, {50, third, 40}, {100, third, 90}, {25, third, 30}, {75, third, 60}})
	if rel1(c3.reliability([]string{"1", "2", "3"}, 5)) != nil {
		t.Error("an item constant at 100/3 was reported")
	}
}

// rel1 drops the reason of reliability's answer.
func rel1(r *Reliability, _ string) *Reliability { return r }
