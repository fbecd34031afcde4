package analysis

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// alikeCity is a city of nu units whose respondents all come from one
// distribution: internal and external respondents with correlated ordinal
// answers around a Waspada–Terjaga score and 3 % "yes" on every experience item.
func alikeCity(seed uint64, nu, perType int) Input {
	rng := rand.New(rand.NewPCG(seed, 99))
	els, items := genInstrument(24)
	in := Input{Period: "alike", Settings: DefaultSettings(), Elements: els, Items: items}
	id := int64(1)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for u := range nu {
		code := fmt.Sprintf("a%02d", u)
		in.Units = append(in.Units, Unit{Code: code, Name: code, Population: map[string]int{Internal: 4 * perType, External: 10 * perType}})
		for _, typ := range []string{Internal, External} {
			for range perType {
				r := Response{ID: id, Unit: code, Type: typ, Channel: "invitation", Duration: 300 + 60*rng.NormFloat64(),
					Hour: start.Add(time.Duration(rng.IntN(336)) * time.Hour), Answers: make([]byte, len(items))}
				id++
				theta := rng.NormFloat64()
				for j, it := range items {
					if !genSees(it, typ) {
						continue
					}
					switch it.Kind {
					case Experience:
						r.Answers[j] = No
						if rng.Float64() < 0.03 {
							r.Answers[j] = Yes
						}
					case Ordinal:
						p := 1 / (1 + math.Exp(-(1.6 + 0.8*theta + 0.7*rng.NormFloat64())))
						if it.Reverse {
							p = 1 - p
						}
						r.Answers[j] = byte(min(it.Points, 1+int(p*float64(it.Points))))
					}
				}
				in.Responses = append(in.Responses, r)
			}
		}
	}
	return in
}

// TestPropertyAlikeCityFalsePositives: in simulated cities of 20 truly alike
// units, at most 1 unit gets a (non-indicative) risk element or hot spot
// (issue 12: 11 and 14 of 20 did). It prints the false-positive rates.
func TestPropertyAlikeCityFalsePositives(t *testing.T) {
	const cities, nu = 30, 20
	riskUnits, hotUnits, worst, indicative := 0, 0, 0, 0
	for c := range cities {
		res, err := Compute(alikeCity(uint64(c+1), nu, 30))
		if err != nil {
			t.Fatal(err)
		}
		flagged := 0
		for _, u := range res.Units {
			risk, hot := false, false
			for _, re := range u.RiskElements {
				if re.Indicative {
					indicative++
				} else {
					risk = true
				}
			}
			for _, h := range u.HotSpots {
				if h.Indicative {
					indicative++
				} else {
					hot = true
				}
			}
			if risk {
				riskUnits++
			}
			if hot {
				hotUnits++
			}
			if risk || hot {
				flagged++
			}
		}
		worst = max(worst, flagged)
		if flagged > 1 {
			t.Errorf("city %d: %d of %d alike units got a risk element or hot spot", c, flagged, nu)
		}
	}
	n := float64(cities * nu)
	t.Logf("%d simulated cities of %d alike units: risk elements in %d units (%.2f %%), hot spots in %d units (%.2f %%), at most %d flagged units in one city; %d indicative (point-only) listings",
		cities, nu, riskUnits, 100*float64(riskUnits)/n, hotUnits, 100*float64(hotUnits)/n, worst, indicative)
}

// honestUnit is one unit of 40 internal respondents answering over two
// weeks, a share of them content and answering at the ceiling of every
// item, the rest correlated but varied; coached adds 12 identical script
// answers in a 3-hour sitting in place of 12 honest ones.
func honestUnit(rng *rand.Rand, code string, ceiling float64, coached bool) Input {
	in := qInput()
	in.Units = []Unit{{Code: code, Name: code}}
	n := 40
	if coached {
		n = 28
		script := []byte{4, 4, 5, 4, 3, 4, 4, 5, 4, 4, 3, 4}
		for i := range 12 {
			in.addResp(code, Internal, 200+i%3, 300, "", script)
		}
	}
	for range n {
		var a []byte
		if rng.Float64() < ceiling {
			a = same(5, 12)
		} else {
			theta := rng.NormFloat64()
			a = make([]byte, 12)
			for j := range a {
				p := 1 / (1 + math.Exp(-(1 + theta + 0.8*rng.NormFloat64())))
				a[j] = byte(min(5, 1+int(p*5)))
			}
		}
		in.addResp(code, Internal, rng.IntN(336), 300, "", a)
	}
	return in
}

// TestPropertyHonestCeilingUnitsNotFlagged: honest units where 50–70 % of
// the staff answer at the ceiling over two weeks are flagged as coached at
// most 1 in 20 (issue 12: 8–26 of 40 were).
func TestPropertyHonestCeilingUnitsNotFlagged(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	const units = 60
	flagged := 0
	for u := range units {
		ceiling := 0.5 + 0.2*float64(u%3)/2
		in := honestUnit(rng, fmt.Sprintf("h%02d", u), ceiling, false)
		res, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		if res.Units[0].Review.UnderReview {
			flagged++
		}
	}
	rate := float64(flagged) / units
	t.Logf("honest units with 50–70 %% ceiling answers over two weeks: %d of %d flagged as coached (%.1f %%)", flagged, units, 100*rate)
	if rate > 1.0/20 {
		t.Errorf("%d of %d honest units flagged: more than 1 in 20", flagged, units)
	}
}

// TestPropertyCoachedBlockUnderReview: a coached block of 12 identical
// vectors in 3 hours among 40 is flagged, puts its unit under review, and
// each decision (exclude the cluster, keep it, withhold the index) takes the
// unit out of review as the method says.
func TestPropertyCoachedBlockUnderReview(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	const trials = 20
	// honest respondents answering varied (must always be flagged), and the
	// harder case of half of them at the ceiling (measured)
	for _, ceiling := range []float64{0, 0.5} {
		detected := 0
		for trial := range trials {
			if !coachedTrial(t, rng, ceiling, trial, ceiling == 0) {
				continue
			}
			detected++
		}
		t.Logf("coached block of 12 in 3 hours among 40 (%.0f %% of the honest at the ceiling): detected in %d of %d simulations", 100*ceiling, detected, trials)
	}
}

// coachedTrial runs one simulated coached unit beside an honest one and
// checks the review workflow on the first trial; it reports detection.
func coachedTrial(t *testing.T, rng *rand.Rand, ceiling float64, trial int, must bool) bool {
	{
		in := honestUnit(rng, "C1", ceiling, true)
		other := honestUnit(rng, "C2", ceiling, false)
		in.Units = append(in.Units, other.Units...)
		for _, r := range other.Responses {
			r.ID += 1000
			in.Responses = append(in.Responses, r)
		}
		res, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		u := res.Units[0]
		if !u.Review.UnderReview || len(u.Review.Pending) != 1 {
			if must {
				t.Errorf("trial %d: coached unit not under review: %+v clusters %+v", trial, u.Review, u.Quality.Clusters)
			}
			return false
		}
		var cl Cluster
		for _, c := range u.Quality.Clusters {
			if c.ID == u.Review.Pending[0] {
				cl = c
			}
		}
		if cl.Size < 12 || len(cl.Members) != cl.Size || cl.WindowHours != 6 || !cl.Flagged || cl.Decision != ClusterPending {
			t.Errorf("trial %d: cluster %+v", trial, cl)
		}
		if res.Settings.Method != MethodVersion {
			t.Errorf("method %q", res.Settings.Method)
		}
		if trial > 0 || !must {
			return true
		}
		n := *u.Components[Internal].N
		// exclude the cluster by its ID
		ex := in
		ex.Exclusions = []Exclusion{{Kind: ExcludeCluster, Cluster: cl.ID, Unit: "C1", By: "inspektur", Reason: "pengkondisian"}}
		r2, err := Compute(ex)
		if err != nil {
			t.Fatal(err)
		}
		u2 := r2.Units[0]
		if u2.Review.UnderReview || u2.Quality.Clusters[0].Decision != ClusterExcluded || *u2.Components[Internal].N != n-cl.Size ||
			len(u2.Exclusions) != 1 || u2.Exclusions[0].Responses != cl.Size {
			t.Errorf("excluded: review %+v n %d → %d exclusions %+v", u2.Review, n, *u2.Components[Internal].N, u2.Exclusions)
		}
		// keep the answers
		kept := in
		kept.Reviewed = []string{cl.ID}
		r3, _ := Compute(kept)
		if r3.Units[0].Review.UnderReview || r3.Units[0].Quality.Clusters[0].Decision != ClusterReviewed || *r3.Units[0].Components[Internal].N != n {
			t.Errorf("kept: %+v", r3.Units[0].Review)
		}
		// withhold the index: ditangguhkan, no figures, out of the city
		wh := in
		wh.Withheld = map[string]string{"C1": "pengkondisian responden"}
		r4, _ := Compute(wh)
		u4 := r4.Units[0]
		if u4.Index != nil || u4.Category != CategoryWithheld || !u4.Review.Withheld || u4.Review.Reason == "" ||
			!u4.Components[Internal].Suppressed || u4.Components[Internal].Suppression != SuppressWithheld {
			t.Errorf("withheld: %+v %+v", u4.IndexFigure, u4.Review)
		}
		if c := r4.City.Pooled.Components[Internal]; len(c.Units) != 1 || c.Units[0] != "C2" || *c.Score != *r4.Units[1].Components[Internal].Score {
			t.Errorf("withheld unit in the city: %+v", c.Units)
		}
	}
	return true
}

// TestPropertyFiniteOutputs: over zero-variance and tiny-n periods no NaN
// or ±Inf reaches the results, their JSON or the trends (issue 12: a
// reversed item pair answered at one raw position gave α = −Inf and broke
// `integritas results --format json`).
func TestPropertyFiniteOutputs(t *testing.T) {
	// the case: six respondents, a reversed pair at the same raw position
	in := Input{Period: "z", Settings: DefaultSettings(), Elements: []Element{{Code: "E"}},
		Items: []Item{{Code: "a", Element: "E", Kind: Ordinal, Points: 5}, {Code: "b", Element: "E", Kind: Ordinal, Points: 5, Reverse: true}},
		Units: []Unit{{Code: "U", Name: "U", Population: map[string]int{Internal: 6}}}}
	for i := range 6 {
		v := byte(1 + i%5)
		in.Responses = append(in.Responses, Response{ID: int64(i + 1), Unit: "U", Type: Internal, Hour: t0, Answers: []byte{v, v}})
	}
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if e := res.Units[0].Components[Internal].Elements["E"]; e.Alpha != nil || e.AlphaAbsent != AbsentZeroVariance {
		t.Errorf("α of a cancelling pair: %v (%q)", e.Alpha, e.AlphaAbsent)
	}
	mustFinite(t, "reversed pair", res)

	rng := rand.New(rand.NewPCG(14, 14))
	for trial := range 300 {
		in := qInput()
		in.Items[1].Reverse = true
		in.Items = append(in.Items, Item{Code: "x", Element: "E", Kind: Experience})
		in.Settings.Weighting = []string{WeightingNone, WeightingPoststrat}[trial%2]
		in.Settings.MinCell = 2 + rng.IntN(5)
		in.Strata = map[string]map[string]int{"U1": {"p": 3, "q": 1 + rng.IntN(3)}}
		for u := range in.Units {
			in.Units[u].Population = map[string]int{Internal: rng.IntN(8)}
		}
		for range 1 + rng.IntN(14) {
			a := make([]byte, 13)
			mode := rng.IntN(3)
			for j := range 12 {
				switch mode {
				case 0: // constant raw position (reversed item included)
					a[j] = 3
				case 1:
					a[j] = byte(1 + rng.IntN(5))
				default:
					a[j] = []byte{NoAnswer, DontKnow, 5}[rng.IntN(3)]
				}
			}
			a[12] = []byte{Yes, No, DontKnow}[rng.IntN(3)]
			unit := []string{"U1", "U2"}[rng.IntN(2)]
			id := in.addResp(unit, []string{Internal, External}[rng.IntN(2)], rng.IntN(30), float64(rng.IntN(400)), "", a)
			in.Responses[len(in.Responses)-1].Stratum = []string{"p", "q", ""}[int(id)%3]
		}
		res, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		mustFinite(t, fmt.Sprintf("trial %d", trial), res)
		for _, ch := range Compare(res, res) {
			mustFinite(t, fmt.Sprintf("trial %d trend", trial), ch)
		}
	}
}

func mustFinite(t *testing.T, what string, v any) {
	t.Helper()
	if err := CheckFinite(v); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: JSON: %v", what, err)
	}
	if bad := NonFiniteText(string(b)); bad != nil {
		t.Fatalf("%s: JSON holds %v", what, bad)
	}
}

func TestNonFiniteHelpers(t *testing.T) {
	type inner struct{ X *float64 }
	if err := CheckFinite(map[string]inner{"a": {X: ptr(math.Inf(-1))}}); err == nil {
		t.Error("−Inf behind a map and a pointer not found")
	}
	if err := CheckFinite([]any{1.5, ptr(2.0)}); err != nil {
		t.Error(err)
	}
	for s, want := range map[string]int{"Informasi; Kenanga; nanas": 0, "73,70;NaN;x": 1, "-Inf,+Inf": 2, "Infinity": 1} {
		if got := len(NonFiniteText(s)); got != want {
			t.Errorf("%q: %d non-finite spellings, want %d", s, got, want)
		}
	}
	if Round2(73.699999999999989) != 73.70 || Round2(72.995) != 73.00 || Round2(72.994999) != 72.99 {
		t.Errorf("Round2: %v %v %v", Round2(73.699999999999989), Round2(72.995), Round2(72.994999))
	}
}

// TestPartialIndexIndicative: an index missing a weighted type carries its
// category as indicative only.
func TestPartialIndexIndicative(t *testing.T) {
	in := genInput(41, 3, 400, 16)
	var keep []Response
	for _, r := range in.Responses {
		if r.Unit != "u001" || r.Type == Internal {
			keep = append(keep, r)
		}
	}
	in.Responses = keep
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range res.Units {
		if u.Index == nil {
			continue
		}
		if u.CategoryIndicative != u.Partial {
			t.Errorf("%s: partial %v indicative %v", u.Code, u.Partial, u.CategoryIndicative)
		}
		if u.Code == "u001" && !u.Partial {
			t.Errorf("u001 without internal respondents is not partial")
		}
	}
}

// TestSpeedersWebOnly: paper (imported) answers are never speeders and do
// not move the web median.
func TestSpeedersWebOnly(t *testing.T) {
	in := qInput()
	rng := rand.New(rand.NewPCG(15, 15))
	for range 10 {
		in.addResp("U1", Internal, 0, 600, "", randomAnswers(rng, 12))
	}
	fast := in.addResp("U1", Internal, 0, 60, "", randomAnswers(rng, 12))
	paper := in.addResp("U1", Internal, 0, 60, "", randomAnswers(rng, 12))
	in.Responses[len(in.Responses)-1].Channel = "paper"
	for range 30 { // many quick paper rows would drag a shared median down
		in.addResp("U1", Internal, 0, 10, "", randomAnswers(rng, 12))
		in.Responses[len(in.Responses)-1].Channel = "paper"
	}
	flags, err := QualityFlags(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := codes(flags[fast])[FlagSpeeder]; !ok {
		t.Errorf("a web response in 60 s against a 600 s median is not a speeder: %v", flags[fast])
	}
	if _, ok := codes(flags[paper])[FlagSpeeder]; ok {
		t.Error("a paper response was flagged as a speeder")
	}
}

// TestThinBandOneMoreRespondent: the case — a band with a large
// roster and a handful of respondents — no longer lets one respondent move
// the post-stratified index (84.69 → 59.27 before v2).
func TestThinBandOneMoreRespondent(t *testing.T) {
	build := func(extra []byte) Input {
		in := qInput()
		in.Units = in.Units[:1]
		in.Units[0].Population = map[string]int{Internal: 300}
		in.Settings.Weighting = WeightingPoststrat
		in.Strata = map[string]map[string]int{"U1": {"a_pns": 100, "b_pppk": 100, "c_honorer": 100}}
		rng := rand.New(rand.NewPCG(16, 16))
		add := func(band string, n int, hi bool) {
			for range n {
				a := make([]byte, 12)
				for j := range a {
					a[j] = byte(3 + rng.IntN(3))
					if !hi {
						a[j] = byte(1 + rng.IntN(3))
					}
				}
				in.addResp("U1", Internal, rng.IntN(300), 300, "", a)
				in.Responses[len(in.Responses)-1].Stratum = band
			}
		}
		add("a_pns", 30, true)
		add("b_pppk", 27, true)
		add("c_honorer", 4, true)
		if extra != nil {
			in.addResp("U1", Internal, 5, 300, "", extra)
			in.Responses[len(in.Responses)-1].Stratum = "c_honorer"
		}
		return in
	}
	before, err := Compute(build(nil))
	if err != nil {
		t.Fatal(err)
	}
	after, err := Compute(build(same(1, 12)))
	if err != nil {
		t.Fatal(err)
	}
	b, a := before.Units[0], after.Units[0]
	d := math.Abs(*a.Index - *b.Index)
	t.Logf("one more (lowest-answering) respondent in a thin band: index %.2f → %.2f (%.2f points); weighting %q",
		*b.Index, *a.Index, d, a.Components[Internal].Weighting)
	if d >= 5 || !a.Components[Internal].Weighted {
		t.Errorf("moved %.2f points (weighted %v)", d, a.Components[Internal].Weighted)
	}
}
