package analysis

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

func TestItemScore(t *testing.T) {
	ord := func(k int, rev bool) *itemInfo { return &itemInfo{kind: Ordinal, points: k, reverse: rev} }
	exp := func(rev bool) *itemInfo { return &itemInfo{kind: Experience, reverse: rev} }
	tests := []struct {
		name string
		it   *itemInfo
		a    byte
		want float64 // NaN = missing
	}{
		{"5-point lowest", ord(5, false), 1, 0},
		{"5-point 2: 100·1/4", ord(5, false), 2, 25},
		{"5-point 3", ord(5, false), 3, 50},
		{"5-point top", ord(5, false), 5, 100},
		{"5-point 2 reversed: 100 − 25", ord(5, true), 2, 75},
		{"4-point 2: 100/3", ord(4, false), 2, 100.0 / 3},
		{"6-point 4: 100·3/5", ord(6, false), 4, 60},
		{"10-point 4: 100·3/9", ord(10, false), 4, 100.0 / 3},
		{"experience yes", exp(false), Yes, 0},
		{"experience no", exp(false), No, 100},
		{"experience yes, reversed", exp(true), Yes, 100},
		{"don't know is missing", ord(5, false), DontKnow, math.NaN()},
		{"no answer is missing", exp(false), NoAnswer, math.NaN()},
		{"text never scores", &itemInfo{kind: Text}, 1, math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := itemScore(tc.it, tc.a)
			if math.IsNaN(tc.want) != math.IsNaN(got) || (!math.IsNaN(got) && !near(got, tc.want, 1e-12)) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// tinyInput: element A (weight 1) with a1 (5-point), a2 (5-point, reversed)
// and a text item; element B (weight 3) with the experience item b1; asked of
// internal and external respondents.
func tinyInput() Input {
	both := []string{Internal, External}
	in := Input{
		Period:   "tiny",
		Settings: DefaultSettings(),
		Elements: []Element{{Code: "A", Weight: 1}, {Code: "B", Weight: 3}},
		Items: []Item{
			{Code: "a1", Element: "A", Kind: Ordinal, Points: 5, Types: both},
			{Code: "a2", Element: "A", Kind: Ordinal, Points: 5, Reverse: true, Types: both},
			{Code: "b1", Element: "B", Kind: Experience, Types: both},
			{Code: "t", Element: "A", Kind: Text, Types: both},
		},
		Units:       []Unit{{Code: "U1", Name: "Dinas Satu", Population: map[string]int{Internal: 10}}},
		Corrections: map[string][]Correction{"U1": {{Points: 3, Kind: "complaints", Reason: "two complaints", Evidence: "ref 1"}}},
	}
	add := func(typ string, answers ...byte) {
		in.Responses = append(in.Responses, Response{ID: int64(len(in.Responses) + 1), Unit: "U1", Type: typ,
			Channel: "invitation", Hour: time.Date(2026, 3, 1, len(in.Responses), 0, 0, 0, time.UTC), Duration: 300,
			Answers: answers})
	}
	const D = DontKnow
	// internal: element A = mean(a1, 100 − a2); component = (1·A + 3·B)/4 over present elements
	add(Internal, 5, 1, No, 1)  // A 100, B 100 → 100
	add(Internal, 4, 2, No, 0)  // A (75+75)/2 = 75, B 100 → 93.75
	add(Internal, 3, 3, Yes, 1) // A 50, B 0 → 12.5
	add(Internal, 4, D, No, 0)  // A 75 (a2 missing), B 100 → 93.75
	add(Internal, 2, 4, D, 0)   // A (25+25)/2 = 25, B missing → 25
	// external, population unknown
	add(External, 5, 1, No, 0)  // 100
	add(External, 5, 1, No, 0)  // 100
	add(External, 4, 2, No, 0)  // 93.75
	add(External, 3, 3, No, 0)  // A 50, B 100 → 87.5
	add(External, 1, 5, Yes, 0) // 0
	return in
}

func TestComputeHandWorked(t *testing.T) {
	res, err := Compute(tinyInput())
	if err != nil {
		t.Fatal(err)
	}
	u := res.Units[0]
	in, ex := u.Components[Internal], u.Components[External]
	// internal: scores 100, 93.75, 12.5, 93.75, 25 → mean 325/5 = 65;
	// Σd² = 35² + 28.75² + 52.5² + 28.75² + 40² = 7234.375, s² = 1808.59375;
	// SE = √(s²/5 · (1 − 5/10)) = √180.859375 = 13.4483967445938; df 4.
	// external: 100, 100, 93.75, 87.5, 0 → mean 76.25; Σd² = 7375, s² = 1843.75;
	// SE = √(1843.75/5) = 19.2028643696715 (no population, no fpc).
	checks := []struct {
		name      string
		got, want float64
	}{
		{"internal score", *in.Score, 65},
		{"internal se", *in.SE, 13.4483967445938},
		{"internal df", *in.DF, 4},
		{"internal ci low: 65 − 2.776445·13.448397", in.CI[0], 65 - 2.77644510519779*13.4483967445938},
		{"internal ci high clamped", in.CI[1], 100},
		{"external score", *ex.Score, 76.25},
		{"external se", *ex.SE, 19.2028643696715},
		// element A internal: 100, 75, 50, 75, 25 → 65; Σd² = 3250, s² = 812.5; SE = √(812.5/5·0.5) = √81.25
		{"internal A", *in.Elements["A"].Score, 65},
		{"internal A se", *in.Elements["A"].SE, math.Sqrt(81.25)},
		// index: ½·65 + ½·76.25 = 70.625 − 3 correction = 67.625;
		// var = ¼·180.859375 + ¼·368.75 = 137.40234375, SE = 11.7218745834444;
		// df = 137.40234375² / ((45.21484375² + 92.1875²)/4) = 7.1628766943614; half = qt(.975, df)·SE = 27.5905709950597
		{"index", *u.Index, 67.625},
		{"index se", *u.SE, 11.7218745834444},
		{"index df", *u.DF, 7.1628766943614},
		{"margin", *u.Margin, 27.5905709950597},
		{"ci low", u.CI[0], 70.625 - 27.5905709950597 - 3},
		{"ci high", u.CI[1], 70.625 + 27.5905709950597 - 3},
		{"weight internal", in.Weight, 0.5},
		{"correction", u.Correction.Points, 3},
		{"city pooled: the single unit without correction", *res.City.Pooled.Index, 70.625},
		{"city unit mean", *res.City.UnitMean.Index, 67.625},
	}
	for _, c := range checks {
		if !near(c.got, c.want, 1e-9) {
			t.Errorf("%s: got %.12g, want %.12g", c.name, c.got, c.want)
		}
	}
	if u.Category != "rentan" || u.Partial || u.Suppressed {
		t.Errorf("category %q partial %v suppressed %v", u.Category, u.Partial, u.Suppressed)
	}
	if !contains(u.Flags, FlagSampleInsufficient) {
		t.Errorf("margin 27.6 > 10 should flag sample_insufficient: %v", u.Flags)
	}
	// element B internal has only 4 respondents (one missing) < k = 5: suppressed, null, not zero
	if b := in.Elements["B"]; !b.Suppressed || b.Score != nil || b.N != nil || b.Suppression != SuppressMinGroup {
		t.Errorf("internal B should be suppressed: %+v", b)
	}
	// prevalence of b1: internal 1 yes of 4 answered → suppressed; external 1 of 5 → 0.2
	for _, p := range u.Prevalence {
		switch p.Type {
		case Internal:
			if !p.Suppressed || p.Prevalence != nil {
				t.Errorf("internal prevalence should be suppressed: %+v", p)
			}
		case External:
			if p.Suppressed || *p.Yes != 1 || *p.N != 5 || *p.Prevalence != 0.2 {
				t.Errorf("external prevalence: %+v", p)
			}
		}
	}
	// 0.2 ≥ 0.10: a hot spot for external respondents
	if len(u.HotSpots) != 1 || u.HotSpots[0].Item != "b1" || u.HotSpots[0].Type != External {
		t.Errorf("hot spots: %+v", u.HotSpots)
	}
	// risk elements: internal A 65 and external A ((100+100+75+50+0)/5 = 65) are Rentan (< 73)
	if len(u.RiskElements) == 0 || u.RiskElements[0].Element != "A" || strings.Join(u.RiskElements[0].Types, ",") != "internal,external" {
		t.Errorf("risk elements: %+v", u.RiskElements)
	}
	// text counts: 5 internal respondents < k_text = 10 → not shown
	if len(u.TextCounts) != 0 {
		t.Errorf("text counts under k_text shown: %+v", u.TextCounts)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"score":0,`) {
		t.Errorf("a suppressed score marshalled as zero")
	}
}

func TestComputePartialAndLeftOut(t *testing.T) {
	in := tinyInput()
	in.Responses = in.Responses[:9] // external n = 4 < 5: left out of the index
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	u := res.Units[0]
	if !u.Partial || !u.Components[External].Suppressed || u.Components[External].Weight != 0 {
		t.Fatalf("partial %v external %+v", u.Partial, u.Components[External])
	}
	// index = internal component 65 − 3
	if !near(*u.Index, 62, 1e-12) || u.Components[Internal].Weight != 1 {
		t.Errorf("index %v", *u.Index)
	}
	// all components under k: no index at all
	in.Responses = in.Responses[:4]
	res, _ = Compute(in)
	if u := res.Units[0]; !u.Suppressed || u.Index != nil || u.Category != "" || !contains(u.Flags, FlagNoIndex) {
		t.Errorf("want no index: %+v", u.IndexFigure)
	}
}

func TestComputeCorrectionCapAndClamp(t *testing.T) {
	in := tinyInput()
	in.Corrections["U1"] = []Correction{{Points: 15, Kind: "spdp"}, {Points: 12, Kind: "complaints"}}
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	u := res.Units[0]
	// 15 + 12 = 27 > cap 20 → 20 applied; index 70.625 − 20 = 50.625
	if u.Correction.Total != 27 || u.Correction.Points != 20 || !u.Correction.Capped || !near(*u.Index, 50.625, 1e-12) {
		t.Errorf("correction %+v index %v", u.Correction, *u.Index)
	}
	// cap 80, corrections 75: index 70.625 − 75 < 0 → 0; CI 70.625 ± 27.59 − 75 → [0, 23.2157]
	in.Settings.CorrectionCap = 80
	in.Corrections["U1"] = []Correction{{Points: 75, Kind: "spdp"}}
	res, _ = Compute(in)
	u = res.Units[0]
	if *u.Index != 0 || u.CI[0] != 0 || !near(u.CI[1], 70.625+27.5905709950597-75, 1e-9) || u.Category != "rentan" {
		t.Errorf("index %v ci %v", *u.Index, *u.CI)
	}
}

func TestComputePopulationBelowResponses(t *testing.T) {
	in := tinyInput()
	in.Units[0].Population[Internal] = 4 // 5 responses > N = 4
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	u := res.Units[0]
	if !contains(u.Flags, FlagPopulationBelow) || !near(*u.Components[Internal].SE, math.Sqrt(1808.59375/5), 1e-12) {
		t.Errorf("flags %v se %v", u.Flags, *u.Components[Internal].SE)
	}
}

func TestComputeTypeWeights(t *testing.T) {
	in := tinyInput()
	in.Settings.TypeWeights = map[string]float64{Internal: 0.5, External: 0.35, Expert: 0.15}
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	u := res.Units[0]
	// expert has weight but no respondents: renormalised over internal and external, partial.
	// w = 0.5/0.85, 0.35/0.85: I = (0.5·65 + 0.35·76.25)/0.85 − 3
	want := (0.5*65+0.35*76.25)/0.85 - 3
	if !near(*u.Index, want, 1e-12) || !u.Partial {
		t.Errorf("index %v want %v, partial %v", *u.Index, want, u.Partial)
	}
	if res.Settings.TypeWeights[Expert] != 0.15 {
		t.Errorf("settings used should state the weights: %v", res.Settings.TypeWeights)
	}
}

func TestComputeRejectsBadInput(t *testing.T) {
	tests := map[string]func(in *Input){
		"unknown unit":      func(in *Input) { in.Responses[0].Unit = "X" },
		"unknown type":      func(in *Input) { in.Responses[0].Type = "vendor" },
		"answer length":     func(in *Input) { in.Responses[0].Answers = []byte{1} },
		"answer range":      func(in *Input) { in.Responses[0].Answers[0] = 6 },
		"experience answer": func(in *Input) { in.Responses[0].Answers[2] = 3 },
		"negative points":   func(in *Input) { in.Corrections["U1"][0].Points = -1 },
		"unknown element":   func(in *Input) { in.Items[0].Element = "Z" },
		"min group":         func(in *Input) { in.Settings.MinGroup = 2 },
		"element weights":   func(in *Input) { in.Settings.ElementWeights = map[string]float64{"Z": 1} },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			in := tinyInput()
			mutate(&in)
			if _, err := Compute(in); err == nil || !strings.HasPrefix(err.Error(), "analysis: ") {
				t.Errorf("got %v, want an analysis error", err)
			}
		})
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func TestTextCountsFromKText(t *testing.T) {
	in := tinyInput()
	for i := range 5 { // ten internal respondents now; two more texts given
		in.Responses = append(in.Responses, Response{ID: int64(100 + i), Unit: "U1", Type: Internal, Hour: t0,
			Duration: 300, Answers: []byte{4, 2, No, byte(i % 2)}})
	}
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	tc := res.Units[0].TextCounts
	// internal texts: responses 1 and 3 of the first five, and i = 1, 3 → 4; external has 5 < 10
	if len(tc) != 1 || tc[0].Type != Internal || tc[0].Item != "t" || tc[0].Count != 4 {
		t.Errorf("text counts %+v", tc)
	}
}
