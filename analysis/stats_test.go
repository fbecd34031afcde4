package analysis

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestMeanEstimate(t *testing.T) {
	// x = 60,70,80,90,100: mean 80; s² = (400+100+0+100+400)/4 = 250.
	x := []float64{60, 70, 80, 90, 100}
	tests := []struct {
		name      string
		N         int
		wantSE    float64
		wantBelow bool
	}{
		{"unknown N: s/√n = √(250/5) = √50", 0, math.Sqrt(50), false},
		{"N=10: √50·√(1−5/10) = 5", 10, 5, false},
		{"N=5: census, SE 0", 5, 0, false},
		{"N=4 < n: no fpc, flagged", 4, math.Sqrt(50), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := meanEstimate(x, tc.N)
			if e.mean != 80 || e.n != 5 || e.df != 4 || !near(e.se, tc.wantSE, 1e-12) || e.popBelow != tc.wantBelow {
				t.Errorf("got %+v, want mean 80 n 5 df 4 se %v below %v", e, tc.wantSE, tc.wantBelow)
			}
		})
	}
}

func TestTQuantile(t *testing.T) {
	tests := []struct{ df, want float64 }{
		{4, 2.77644510519779},  // R qt(0.975, 4)
		{9, 2.262157162798205}, // R qt(0.975, 9)
		{math.Inf(1), 1.959963984540054},
	}
	for _, tc := range tests {
		if got := tQuantile(tc.df); !near(got, tc.want, 1e-9) {
			t.Errorf("tQuantile(%v) = %v, want %v", tc.df, got, tc.want)
		}
	}
}

func TestWilson(t *testing.T) {
	tests := []struct {
		yes, n    int
		p, lo, hi float64
	}{
		// z² = 3.841459; centre (0.25 + z²/40)/(1 + z²/20) = 0.290281;
		// half z·√(0.25·0.75/20 + z²/1600)/(1 + z²/20) = 0.178419. R prop.test(5, 20, correct = FALSE).
		{5, 20, 0.25, 0.111861701407666, 0.468700877618744},
		// p = 0: lower end exactly 0, upper z²/n/(1 + z²/n). R prop.test(0, 10, correct = FALSE).
		{0, 10, 0, 0, 0.277532799862889},
		{10, 10, 1, 1 - 0.277532799862889, 1},
	}
	for _, tc := range tests {
		p, lo, hi := Wilson(tc.yes, tc.n)
		if !near(p, tc.p, 1e-12) || !near(lo, tc.lo, 1e-9) || !near(hi, tc.hi, 1e-9) {
			t.Errorf("Wilson(%d,%d) = %v %v %v, want %v %v %v", tc.yes, tc.n, p, lo, hi, tc.p, tc.lo, tc.hi)
		}
	}
	if p, _, _ := Wilson(0, 0); !math.IsNaN(p) {
		t.Errorf("Wilson(0,0) = %v, want NaN", p)
	}
}

func TestRequiredSampleSize(t *testing.T) {
	tests := []struct {
		N      int
		margin float64
		want   int
	}{
		{0, 5, 385},       // n0 = 1.96²·0.25/0.05² = 384.16 → 385
		{1000, 5, 278},    // 384.16/(1 + 383.16/1000) = 277.74 → 278
		{100, 5, 80},      // 384.16/(1 + 383.16/100) = 79.51 → 80
		{0, 10, 97},       // 96.04 → 97
		{50, 5, 45},       // 384.16/(1 + 383.16/50) = 44.33 → 45
		{3, 5, 3},         // never above N
		{1000, 0.05, 278}, // a proportion reads as 5 %
	}
	for _, tc := range tests {
		if got := RequiredSampleSize(tc.N, tc.margin); got != tc.want {
			t.Errorf("RequiredSampleSize(%d, %v) = %d, want %d", tc.N, tc.margin, got, tc.want)
		}
	}
}

func TestWelchSatterthwaite(t *testing.T) {
	// (4 + 9)² / (4²/9 + 9²/19) = 169 / 6.040936 = 27.97581
	if got := welchSatterthwaite([]float64{4, 9}, []float64{9, 19}); !near(got, 169/(16.0/9+81.0/19), 1e-12) {
		t.Errorf("got %v", got)
	}
	// all variances zero: Σ df
	if got := welchSatterthwaite([]float64{0, 0}, []float64{4, 6}); got != 10 {
		t.Errorf("zero variances: got %v, want 10", got)
	}
}

func TestComplement(t *testing.T) {
	tests := []struct {
		name  string
		n     []int
		shown []bool
		want  []int
	}{
		{"one hidden: next smallest too", []int{2, 7, 9, 12}, []bool{false, true, true, true}, []int{1}},
		{"two hidden under k together: one more", []int{1, 1, 8, 9}, []bool{false, false, true, true}, []int{2}},
		{"two hidden, k together: nothing", []int{3, 4, 8, 9}, []bool{false, false, true, true}, nil},
		{"nothing hidden", []int{5, 6}, []bool{true, true}, nil},
		{"empty child is not a cell", []int{0, 7, 9}, []bool{false, true, true}, nil},
		{"ties: lowest index", []int{2, 6, 6}, []bool{false, true, true}, []int{1}},
		{"runs out of children", []int{2, 6}, []bool{false, true}, []int{1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := complement(tc.n, tc.shown, 5)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}
