package results

import (
	"context"
	"fmt"
	"testing"

	"integritas/analysis"
	"integritas/internal/demo"
	"integritas/survey"
)

// cellN is a published cell's respondent count and score.
type cellN struct {
	n     int
	score float64
}

// publishedCells lists every published cell of a result with n and score:
// unit components, their elements and prevalence, and the city's.
func publishedCells(res *analysis.Results) map[string]cellN {
	out := map[string]cellN{}
	comps := func(prefix string, cs map[string]*analysis.Component) {
		for t, c := range cs {
			if c == nil {
				continue
			}
			if c.N != nil && c.Score != nil {
				out[prefix+"/"+t] = cellN{*c.N, *c.Score}
			}
			for e, el := range c.Elements {
				if el != nil && el.N != nil && el.Score != nil {
					out[prefix+"/"+t+"/"+e] = cellN{*el.N, *el.Score}
				}
			}
		}
	}
	prev := func(prefix string, ps []analysis.Prevalence) {
		for _, p := range ps {
			if p.N != nil && p.Prevalence != nil {
				out[prefix+"/"+p.Type+"/item:"+p.Item] = cellN{*p.N, *p.Prevalence}
			}
		}
	}
	for _, u := range res.Units {
		comps(u.Code, u.Components)
		prev(u.Code, u.Prevalence)
	}
	comps("city", res.City.Pooled.Components)
	prev("city", res.City.Prevalence)
	return out
}

// derivable lists the cells published in both views whose respondents differ
// by 1..k−1: subtracting the two gives those few people's mean score.
func derivable(a, b *analysis.Results, k int) []string {
	ca, cb := publishedCells(a), publishedCells(b)
	var out []string
	for key, x := range ca {
		y, ok := cb[key]
		if !ok {
			continue
		}
		d := x.n - y.n
		if d < 0 {
			d = -d
		}
		if d > 0 && d < k {
			mean := (float64(x.n)*x.score - float64(y.n)*y.score) / float64(x.n-y.n)
			out = append(out, fmt.Sprintf("%s: n %d vs %d gives the %d differing respondents' mean %.2f", key, x.n, y.n, d, mean))
		}
	}
	return out
}

// Issue 11's attack: read a unit before and after an exclusion decision (or
// its revocation) and subtract. With include_flagged this gave a flagged
// person's score (85.61 at n = 49 vs 85.32 at n = 50 → 71.11). Now every
// cell whose respondents differ by fewer than k between two views is hidden
// in the later view, the revocation restores the first view exactly, and a
// decision that removes at least k respondents publishes normally.
func TestViewsCannotBeDifferenced(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	p, _ := st.Period(ctx, demo.Current)
	before, err := Compute(ctx, st, demo.Current, Options{})
	if err != nil {
		t.Fatal(err)
	}
	k := before.Results.Settings.MinGroup
	unit, typ, speeders := fewSpeeders(t, before, k)
	decide := func(d survey.Decision) int64 {
		t.Helper()
		d.PeriodID, d.DecidedBy, d.Reason = p.ID, "inspektur@sukamaju.go.id", "uji selisih tampilan"
		id, err := st.AddDecision(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	id := decide(survey.Decision{UnitCode: unit, Type: typ, Action: survey.DecisionExcludeFlag, Flag: analysis.FlagSpeeder})
	after, err := Compute(ctx, st, demo.Current, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("excluding %d speeder(s) of %s/%s (k = %d)", speeders, unit, typ, k)
	for _, leak := range derivable(before.Results, after.Results, k) {
		t.Errorf("before/after the decision: %s", leak)
	}
	comp := unitOf(t, after, unit).Components[typ]
	if comp == nil || comp.Score != nil || comp.Suppression != analysis.SuppressDifferencing {
		t.Errorf("%s/%s after removing %d respondents: %+v, want hidden (differencing)", unit, typ, speeders, comp)
	}
	if ex := unitOf(t, after, unit).Exclusions; len(ex) != 1 || ex[0].ID != id || ex[0].Responses != speeders {
		t.Errorf("the decision is not shown on the unit it touches: %+v", ex)
	}
	// Revoking it restores the first view exactly.
	if err := st.RevokeDecision(ctx, p.ID, id, "inspektur@sukamaju.go.id", "dicabut"); err != nil {
		t.Fatal(err)
	}
	again, err := Compute(ctx, st, demo.Current, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range append(derivable(before.Results, again.Results, k), derivable(after.Results, again.Results, k)...) {
		t.Errorf("after the revocation: %s", leak)
	}
	b, a := unitOf(t, before, unit).Components[typ], unitOf(t, again, unit).Components[typ]
	if b.Score == nil || a.Score == nil || *a.Score != *b.Score || *a.N != *b.N {
		t.Errorf("revocation: %+v, want %+v", a, b)
	}
	// A decision that removes k or more (DISHUB's coached cluster of 12) publishes.
	var cluster *analysis.Cluster
	for _, cl := range unitOf(t, again, "DISHUB").Quality.Clusters {
		if cl.Flagged {
			cluster = &cl
		}
	}
	if cluster == nil {
		t.Fatal("the demo's coached cluster in DISHUB is not flagged")
	}
	decide(survey.Decision{UnitCode: "DISHUB", Action: survey.DecisionExcludeCluster, Cluster: cluster.ID})
	last, err := Compute(ctx, st, demo.Current, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, earlier := range []*Period{before, after, again} {
		for _, leak := range derivable(earlier.Results, last.Results, k) {
			t.Errorf("after excluding the cluster: %s", leak)
		}
	}
	dishubBefore, dishub := unitOf(t, before, "DISHUB"), unitOf(t, last, "DISHUB")
	if c := dishub.Components[cluster.Type]; c == nil || c.N == nil || *c.N != *dishubBefore.Components[cluster.Type].N-cluster.Size {
		t.Errorf("DISHUB %s after excluding %d: %+v", cluster.Type, cluster.Size, c)
	}
	if dishub.Review.UnderReview || !dishubBefore.Review.UnderReview {
		t.Errorf("DISHUB under review before %v, after %v", dishubBefore.Review.UnderReview, dishub.Review.UnderReview)
	}
}

// One respondent type against all: the only all-type figure of a unit is its
// index, and it combines only published components, so no unit's index can
// be differenced against its components to reach a type under k.
func TestIndexCoversPublishedTypesOnly(t *testing.T) {
	st := demoStore(t)
	r, err := Compute(context.Background(), st, demo.Current, Options{})
	if err != nil {
		t.Fatal(err)
	}
	k := r.Results.Settings.MinGroup
	small := 0
	for _, u := range r.Results.Units {
		for typ, c := range u.Components {
			rc := u.ResponseCounts[typ]
			if rc.Included > 0 && rc.Included < k {
				small++
				if c != nil && (c.Weight > 0 || c.Score != nil) {
					t.Errorf("%s/%s with %d respondents weighs %.2f in the index", u.Code, typ, rc.Included, c.Weight)
				}
				if !u.Partial && u.Index != nil {
					t.Errorf("%s: index over a type under k is not marked partial", u.Code)
				}
			}
		}
	}
	if small == 0 {
		t.Fatal("the demo city has no type under k: the test checks nothing")
	}
}

// fewSpeeders finds a unit×type whose published component holds 1..k−1
// speeders, the case a per-view choice let anyone subtract.
func fewSpeeders(t *testing.T, r *Period, k int) (string, string, int) {
	t.Helper()
	flags, err := analysis.QualityFlags(r.Input)
	if err != nil {
		t.Fatal(err)
	}
	count := map[[2]string]int{}
	for _, resp := range r.Input.Responses {
		speeder, dup := false, false
		for _, f := range flags[resp.ID] {
			speeder = speeder || f.Code == analysis.FlagSpeeder
			dup = dup || f.Code == analysis.FlagDuplicate
		}
		if speeder && !dup {
			count[[2]string{resp.Unit, resp.Type}]++
		}
	}
	for _, u := range r.Results.Units {
		for _, typ := range analysis.Types() {
			n := count[[2]string{u.Code, typ}]
			if c := u.Components[typ]; n > 0 && n < k && c != nil && c.Score != nil && u.Code != "DISHUB" {
				return u.Code, typ, n
			}
		}
	}
	t.Fatal("the demo city has no unit with a few speeders")
	return "", "", 0
}

func unitOf(t *testing.T, r *Period, code string) *analysis.UnitResult {
	t.Helper()
	for i := range r.Results.Units {
		if r.Results.Units[i].Code == code {
			return &r.Results.Units[i]
		}
	}
	t.Fatalf("no unit %s", code)
	return nil
}
