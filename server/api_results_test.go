package server

import (
	"encoding/json"
	"math"
	"testing"

	"integritas/analysis"
)

func TestAPIResults(t *testing.T) {
	e, an := dashEnv(t)
	r := e.computed("SPI-T")
	decode := func(path string) (int, analysis.Results) {
		t.Helper()
		code, _, body := e.get(path, an)
		var out analysis.Results
		if code == 200 {
			if err := json.Unmarshal(body, &out); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		return code, out
	}
	code, all := decode("/api/v1/periods/SPI-T/results")
	if code != 200 || len(all.Units) != len(r.Results.Units) || all.Settings.Method != analysis.MethodVersion {
		t.Fatalf("results: %d, %d units, method %q", code, len(all.Units), all.Settings.Method)
	}
	for i, u := range all.Units {
		want := r.Results.Units[i]
		if (u.Index == nil) != (want.Index == nil) || u.Index != nil && math.Abs(*u.Index-*want.Index) > 1e-12 {
			t.Errorf("%s: index %v, want %v", u.Code, u.Index, want.Index)
		}
	}
	code, one := decode("/api/v1/periods/SPI-T/units/DINKES")
	if code != 200 || len(one.Units) != 1 || one.Units[0].Code != "DINKES" || one.City.Pooled.Index == nil {
		t.Errorf("one unit: %d, %+v", code, one.Units)
	}
	e.run(as(an, []scenario{
		{name: "suppressed unit: null, never 0", path: "/api/v1/periods/SPI-T/units/PKM1", wantStatus: 200, want: []string{`"index":null`, `"suppressed":true`}},
		{name: "unknown unit", path: "/api/v1/periods/SPI-T/units/NOPE", wantStatus: 404, want: []string{`"not_found"`}},
		{name: "unknown period", path: "/api/v1/periods/NOPE/results", wantStatus: 404, want: []string{`"not_found"`}},
		{name: "include_flagged is refused with a message", path: "/api/v1/periods/SPI-T/results?include_flagged=true", wantStatus: 400,
			want: []string{`"bad_param.include_flagged"`, "keputusan Inspektorat yang tercatat"}},
	}))
}
