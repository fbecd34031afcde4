package analysis

import (
	"fmt"
	"testing"
	"time"
)

// riskInput has units whose internal respondents answer item a1 (element A)
// and the experience item b1 (element B) as given: scores per respondent and
// "yes" counts per unit.
func riskInput(units map[string][2][]byte) Input {
	in := Input{Period: "risk", Settings: DefaultSettings(),
		Elements: []Element{{Code: "A"}, {Code: "B"}},
		Items: []Item{
			{Code: "a1", Element: "A", Kind: Ordinal, Points: 5, Types: []string{Internal}},
			{Code: "b1", Element: "B", Kind: Experience, Types: []string{Internal}},
		}}
	id := int64(1)
	for _, code := range sortedKeys(units) {
		in.Units = append(in.Units, Unit{Code: code, Name: code})
		a, b := units[code][0], units[code][1]
		for i := range a {
			in.Responses = append(in.Responses, Response{ID: id, Unit: code, Type: Internal,
				Hour: t0.Add(time.Duration(id) * time.Hour), Duration: 300, Answers: []byte{a[i], b[i]}})
			id++
		}
	}
	return in
}

func rep(v byte, n int) []byte { return same(v, n) }

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestRiskElements(t *testing.T) {
	in := riskInput(map[string][2][]byte{
		// U1: A = 50 on every answer: CI [50, 50] lies below Waspada (73)
		"U1": {rep(3, 20), rep(No, 20)},
		// U2: A = 100 everywhere: no risk
		"U2": {rep(5, 100), rep(No, 100)},
		// U3: A ≈ 75 (Waspada) with a tight CI, well below the rest of the city
		"U3": {cat(rep(4, 60), rep(5, 2), rep(3, 2)), rep(No, 64)},
		// U4: A = 62.5 point score (Rentan) but a wide CI reaching Waspada: indicative
		"U4": {cat(rep(1, 2), rep(5, 3), rep(4, 1)), rep(No, 6)},
	})
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]UnitResult{}
	for _, u := range res.Units {
		by[u.Code] = u
	}
	if r := by["U1"].RiskElements; len(r) != 1 || r[0].Element != "A" || len(r[0].Reasons) != 2 ||
		r[0].Reasons[0].Reason != RiskBand || r[0].Reasons[1].Reason != RiskBelowCity || len(r[0].Types) != 1 || r[0].Indicative {
		t.Errorf("U1 risk elements: %+v", r)
	}
	if r := by["U2"].RiskElements; len(r) != 0 {
		t.Errorf("U2 risk elements: %+v", r)
	}
	r := by["U3"].RiskElements
	if len(r) != 1 || len(r[0].Reasons) != 1 || r[0].Reasons[0].Reason != RiskBelowCity || r[0].Reasons[0].Q == nil || *r[0].Reasons[0].Q > 0.05 {
		t.Errorf("U3 significantly below the rest: %+v %+v", r, res.Tests)
	}
	u4 := by["U4"].Components[Internal].Elements["A"]
	if r := by["U4"].RiskElements; len(r) != 1 || !r[0].Indicative || r[0].Reasons[0].Reason != RiskIndicative {
		t.Errorf("U4 (score %v CI %v) should be an indicative risk: %+v", *u4.Score, *u4.CI, r)
	}
	// the family holds one deficit test per shown element cell and one excess
	// test per shown prevalence cell
	if len(res.Tests) != 8 {
		t.Errorf("%d tests in the family: %+v", len(res.Tests), res.Tests)
	}
}

func TestHotSpots(t *testing.T) {
	units := map[string][2][]byte{}
	// eight units of 50 with 2 % "yes" (1 of 50), one of 100 with 9 %, one
	// of 50 at 12 % and one of 60 at 25 %.
	for i := range 8 {
		units[fmt.Sprintf("C%d", i)] = [2][]byte{rep(4, 50), cat(rep(Yes, 1), rep(No, 49))}
	}
	units["H9"] = [2][]byte{rep(4, 100), cat(rep(Yes, 9), rep(No, 91))}
	res, err := Compute(riskInput(units))
	if err != nil {
		t.Fatal(err)
	}
	// a second city: the same eight with two high units
	delete(units, "H9")
	units["S12"] = [2][]byte{rep(4, 50), cat(rep(Yes, 6), rep(No, 44))}
	units["W25"] = [2][]byte{rep(4, 60), cat(rep(Yes, 15), rep(No, 45))}
	res2, err := Compute(riskInput(units))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range append(res.Units, res2.Units...) {
		var reasons []string
		for _, h := range u.HotSpots {
			reasons = append(reasons, h.Reasons...)
		}
		switch u.Code {
		case "W25":
			// Wilson lower bound of 15/60 is 0.158 ≥ 10 %
			if len(reasons) == 0 || reasons[0] != HotShare {
				t.Errorf("W25: %v", reasons)
			}
		case "H9":
			// under 10 % but far above the rest (Fisher one-sided), after BH
			if len(reasons) != 1 || reasons[0] != HotAboveCity {
				t.Errorf("H9: %v %+v", reasons, u.HotSpots)
			}
		case "S12":
			// 12 % point share, Wilson lower bound 5.6 %: indicative unless the test confirms
			for _, h := range u.HotSpots {
				if h.Indicative != (h.Reasons[0] == HotIndicative) {
					t.Errorf("S12: %+v", h)
				}
			}
			if len(reasons) == 0 {
				t.Error("S12 at 12 % is not even indicative")
			}
		default:
			if len(reasons) != 0 {
				t.Errorf("%s at 2 %%: %v", u.Code, reasons)
			}
		}
	}
}

func TestFisherBH(t *testing.T) {
	// R: fisher.test(matrix(c(9,91,14,436),2), alternative="greater")$p.value
	for _, tc := range []struct {
		y1, n1, y2, n2 int
		want           float64
	}{
		{9, 100, 14, 450, 0.0132295388920145},
		{1, 20, 17, 360, 0.630760671456553}, // issue 12: 1 "yes" of 20 is not above the city
		{6, 50, 17, 450, 0.0197851121986936},
	} {
		if p := fisherGreater(tc.y1, tc.n1, tc.y2, tc.n2); !near(p, tc.want, 1e-12) {
			t.Errorf("fisher %v: %v want %v", tc, p, tc.want)
		}
	}
	// R: p.adjust(c(0.01,0.04,0.03,0.5,0.2,0.04), "BH")
	want := []float64{0.06, 0.06, 0.06, 0.50, 0.24, 0.06}
	for i, q := range BH([]float64{0.01, 0.04, 0.03, 0.5, 0.2, 0.04}) {
		if !near(q, want[i], 1e-12) {
			t.Errorf("BH %d: %v want %v", i, q, want[i])
		}
	}
	// R: t.test(c(50,50,60,55,52), c(70,80,65,90,75,60,85), alternative="less")$p.value
	if p, ok := welchLess(momentsOf([]float64{50, 50, 60, 55, 52}), momentsOf([]float64{70, 80, 65, 90, 75, 60, 85})); !ok || !near(p, 0.000615127330421223, 1e-9) {
		t.Errorf("welch less %v", p)
	}
}
