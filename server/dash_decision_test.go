package server

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"integritas/analysis"
	"integritas/survey"
)

func TestQualityDecision(t *testing.T) {
	e, an := dashEnv(t)
	ctx := context.Background()
	r := e.computed("SPI-T", nil)
	flags, err := analysis.QualityFlags(r.Input)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for id := range flags {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if len(ids) < 2 {
		t.Fatalf("fixture has %d flagged responses", len(ids))
	}
	flagged := strconv.FormatInt(ids[0], 10)
	before := r.Results.City.Quality
	path := "/dash/SPI-T/quality/" + flagged
	e.run(as(an, []scenario{
		// spi-method v2: flagged answers count by default, so the decision
		// that changes the figures is an exclusion
		{name: "exclude a flagged response", method: "POST", path: path, body: form("decision", "exclude", "note", "checked by phone"), wantStatus: 200,
			want: []string{"checked by phone"}},
		{name: "no decision", method: "POST", path: path, body: form("decision", "maybe"), wantStatus: 400},
		{name: "note too long", method: "POST", path: path, body: form("decision", "exclude", "note", string(make([]byte, 600))), wantStatus: 400},
		{name: "not a response id", method: "POST", path: "/dash/SPI-T/quality/abc", body: form("decision", "include"), wantStatus: 400},
		{name: "a response of no period", method: "POST", path: "/dash/SPI-T/quality/999999", body: form("decision", "include"), wantStatus: 404},
		{name: "unknown period", method: "POST", path: "/dash/NOPE/quality/" + flagged, body: form("decision", "include"), wantStatus: 404},
		{name: "cross-site post refused", method: "POST", path: path, body: form("decision", "exclude"), header: map[string]string{"Sec-Fetch-Site": "cross-site"}, wantStatus: 403},
	}))
	d, _ := e.store.Decisions(ctx, e.period.ID)
	if got := d[ids[0]]; got.Include || got.Note != "checked by phone" {
		t.Errorf("decision stored: %+v", got)
	}
	after := e.computed("SPI-T", nil).Results.City.Quality
	if after.ExcludedByDecision != before.ExcludedByDecision+1 {
		t.Errorf("excluded by decision %d → %d", before.ExcludedByDecision, after.ExcludedByDecision)
	}
	// The cached results follow the decision: the overview shows it.
	e.run(as(an, []scenario{{name: "overview after the decision", path: "/dash/SPI-T", wantStatus: 200, want: []string{"Keputusan analis: 0 disertakan, 1 dikecualikan"}}}))
	log, _ := e.store.AuditLog(ctx, "quality.decision", 0)
	if len(log) != 1 || log[0].Detail != "exclude" || log[0].Target != "period:SPI-T/response:"+flagged {
		t.Errorf("audit %+v", log)
	}
	// Back to the default.
	e.run(as(an, []scenario{{name: "clear", method: "POST", path: path, body: form("decision", "clear"), wantStatus: 200}}))
	if d, _ := e.store.Decisions(ctx, e.period.ID); len(d) != 0 {
		t.Errorf("decision not cleared: %+v", d)
	}
	// A closed period's decisions are locked.
	if err := e.store.SetPeriodStatus(ctx, "SPI-T", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	e.run(as(an, []scenario{
		{name: "closed period", method: "POST", path: path, body: form("decision", "exclude"), wantStatus: 409},
		{name: "closed period page", path: "/dash/SPI-T/quality", wantStatus: 200, want: []string{"Periode sudah ditutup"}, notWant: []string{`value="exclude"`}},
	}))
}
