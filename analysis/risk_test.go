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
		// U1: A = 50 on every answer → Rentan band; B all "no" = 100
		"U1": {rep(3, 20), rep(No, 20)},
		// U2: A = 100 everywhere: no risk
		"U2": {rep(5, 40), rep(No, 40)},
		// U3: A = 75 (Waspada) with a tight CI, below the city's A:
		// (50·20 + 100·40 + 75·22)/82 = 81.1
		"U3": {cat(rep(4, 20), rep(5, 1), rep(3, 1)), rep(No, 22)},
	})
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]UnitResult{}
	for _, u := range res.Units {
		by[u.Code] = u
	}
	// U1 is in the Rentan band and (SE 0) below the city too
	if r := by["U1"].RiskElements; len(r) != 1 || r[0].Element != "A" || len(r[0].Reasons) != 2 ||
		r[0].Reasons[0].Reason != RiskBand || r[0].Reasons[1].Reason != RiskBelowCity || len(r[0].Types) != 1 {
		t.Errorf("U1 risk elements: %+v", r)
	}
	if r := by["U2"].RiskElements; len(r) != 0 {
		t.Errorf("U2 risk elements: %+v", r)
	}
	city := *res.City.Pooled.Components[Internal].Elements["A"].Score
	u3 := by["U3"].Components[Internal].Elements["A"]
	t.Logf("city A %.3f, U3 A %.3f CI %v", city, *u3.Score, *u3.CI)
	r := by["U3"].RiskElements
	if u3.CI[1] < city {
		if len(r) != 1 || r[0].Reasons[0].Reason != RiskBelowCity || *r[0].Reasons[0].City != city {
			t.Errorf("U3 below the city should be a risk element: %+v", r)
		}
	} else {
		t.Fatalf("test data: U3's CI upper end %v is not below the city %v", u3.CI[1], city)
	}
}

func TestHotSpots(t *testing.T) {
	units := map[string][2][]byte{}
	// eight units of 50 with 2 % "yes" (1 of 50), one of 100 with 9 % — under
	// the 10 % share but significantly above the rest — and one at 12 %.
	for i := range 8 {
		units[fmt.Sprintf("C%d", i)] = [2][]byte{rep(4, 50), cat(rep(Yes, 1), rep(No, 49))}
	}
	units["H9"] = [2][]byte{rep(4, 100), cat(rep(Yes, 9), rep(No, 91))}
	units["S12"] = [2][]byte{rep(4, 50), cat(rep(Yes, 6), rep(No, 44))}
	res, err := Compute(riskInput(units))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range res.Units {
		var reasons []string
		for _, h := range u.HotSpots {
			reasons = append(reasons, h.Reasons...)
		}
		switch u.Code {
		case "H9":
			// rest 14/450 = 0.0311, pooled 23/550 = 0.0418;
			// z = (0.09 − 0.0311)/√(0.0418·0.9582·(1/100 + 1/450)) = 2.66 > 1.96
			if z := aboveRest(9, 100, 14, 450); z < 2.6 || len(reasons) != 1 || reasons[0] != HotAboveCity {
				t.Errorf("H9 z %.3f reasons %v", z, reasons)
			}
		case "S12":
			if len(reasons) == 0 || reasons[0] != HotShare {
				t.Errorf("S12 at 12 %% should be a hot spot: %v", reasons)
			}
		default:
			if len(reasons) != 0 {
				t.Errorf("%s at 2 %%: %v", u.Code, reasons)
			}
		}
	}
}

func TestAboveRest(t *testing.T) {
	// p₁ = 10/50 = 0.2, p₂ = 20/400 = 0.05, pooled 30/450 = 1/15;
	// z = 0.15/√(1/15 · 14/15 · (1/50 + 1/400)) = 0.15/√(0.0622222·0.0225) = 0.15/0.0374166 = 4.00892
	if z := aboveRest(10, 50, 20, 400); !near(z, 0.15/0.03741657386773941, 1e-9) {
		t.Errorf("z %v", z)
	}
	if z := aboveRest(0, 50, 0, 400); z != 0 {
		t.Errorf("no variance: z %v", z)
	}
}
