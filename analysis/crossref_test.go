package analysis

import (
	"math"
	"strings"
	"testing"
)

// crossFig is a published element figure with a symmetric CI of half-width h.
func crossFig(score, se, h float64, n int) *ElementFigure {
	return &ElementFigure{Figure: Figure{Score: ptr(score), SE: ptr(se), CI: &[2]float64{score - h, score + h}, N: ptr(n)}}
}

// crossResults holds one unit U (and the city) whose internal pbj element is f.
func crossResults(f *ElementFigure) *Results {
	comps := func() map[string]*Component {
		if f == nil {
			return map[string]*Component{Internal: {Elements: map[string]*ElementFigure{}}}
		}
		return map[string]*Component{Internal: {Elements: map[string]*ElementFigure{"pbj": f}}}
	}
	s := DefaultSettings()
	return &Results{Settings: s, City: City{Pooled: PooledIndex{Components: comps()}},
		Units: []UnitResult{{Code: "U", Name: "Unit U", Components: comps()}}}
}

// TestCrossReferenceGapRule checks both gap rules on hand-computed cases:
// Waspada starts at 73 (kpk2025), the top MCP band at 85, a rise at 5 points.
// The fall case: 80 → 74 with SE 2 each and n = 30 gives SE √8, df 58 and
// p = 2·pt(−6/√8, 58) = 0.0382 in R; a fall to 76 gives p = 0.1626.
func TestCrossReferenceGapRule(t *testing.T) {
	suppressed := &ElementFigure{Figure: Figure{Suppressed: true, Suppression: SuppressMinGroup}}
	cases := map[string]struct {
		mcp          []MCPScore
		before, now  *ElementFigure
		status, rule string
		p            float64
	}{
		"high paper, CI below Waspada": {mcp: []MCPScore{{2026, AreaPengadaan, "", 90}}, now: crossFig(65, 2.5, 5, 40),
			status: StatusGap, rule: GapHighPaper},
		"high paper, CI reaches Waspada": {mcp: []MCPScore{{2026, AreaPengadaan, "", 90}}, now: crossFig(69, 2.5, 5, 40),
			status: StatusNoGap},
		"paper at 85 exactly, CI upper 72.99": {mcp: []MCPScore{{2026, AreaPengadaan, "", 85}}, now: crossFig(67.99, 2.5, 5, 40),
			status: StatusGap, rule: GapHighPaper},
		"paper just under the top band": {mcp: []MCPScore{{2026, AreaPengadaan, "", 84.99}}, now: crossFig(65, 2.5, 5, 40),
			status: StatusNoGap},
		"suppressed lived figure gives no gap": {mcp: []MCPScore{{2026, AreaPengadaan, "", 99}}, now: suppressed,
			status: StatusHidden},
		"element not asked in the period": {mcp: []MCPScore{{2026, AreaPengadaan, "", 99}}, now: nil,
			status: StatusNoSPI},
		"no MCP for the year": {mcp: []MCPScore{{2025, AreaPengadaan, "", 99}}, now: crossFig(65, 2.5, 5, 40),
			status: StatusNoMCP},
		"paper rises 6, lived falls 6 (p 0.038)": {mcp: []MCPScore{{2024, AreaPengadaan, "", 74}, {2026, AreaPengadaan, "", 80}},
			before: crossFig(80, 2, 4, 30), now: crossFig(74, 2, 4, 30), status: StatusGap, rule: GapRiseAndFall, p: 0.03817969},
		"paper rises 4, lived falls 6": {mcp: []MCPScore{{2024, AreaPengadaan, "", 76}, {2026, AreaPengadaan, "", 80}},
			before: crossFig(80, 2, 4, 30), now: crossFig(74, 2, 4, 30), status: StatusNoGap},
		"paper rises 6, lived falls 4 (p 0.163)": {mcp: []MCPScore{{2024, AreaPengadaan, "", 74}, {2026, AreaPengadaan, "", 80}},
			before: crossFig(80, 2, 4, 30), now: crossFig(76, 2, 4, 30), status: StatusNoGap},
		"paper rises, earlier figure suppressed": {mcp: []MCPScore{{2024, AreaPengadaan, "", 74}, {2026, AreaPengadaan, "", 80}},
			before: suppressed, now: crossFig(74, 2, 4, 30), status: StatusNoGap},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			in := CrossInput{MCP: tc.mcp}
			if tc.before != nil {
				in.Periods = append(in.Periods, PeriodResults{Year: 2025, Results: crossResults(tc.before)})
			}
			in.Periods = append(in.Periods, PeriodResults{Year: 2026, Results: crossResults(tc.now)})
			x := CrossReference(in)
			var area *AreaCross
			for i := range x.Areas {
				if x.Areas[i].Area == AreaPengadaan {
					area = &x.Areas[i]
				}
			}
			if area == nil {
				t.Fatal("no pengadaan area")
			}
			if area.City.Status != tc.status {
				t.Fatalf("status %s, want %s (gaps %+v)", area.City.Status, tc.status, area.City.Gaps)
			}
			if last := area.History[len(area.History)-1]; tc.status == StatusHidden && last.Lived != nil {
				t.Fatalf("history draws a figure under k: %+v", last)
			}
			if tc.rule == "" {
				if len(area.City.Gaps) != 0 {
					t.Fatalf("gaps %+v, want none", area.City.Gaps)
				}
				return
			}
			g := area.City.Gaps[0]
			if g.Rule != tc.rule || g.Element != "pbj" || g.Type != Internal {
				t.Fatalf("gap %+v, want rule %s on pbj/internal", g, tc.rule)
			}
			if tc.p > 0 && math.Abs(*g.P-tc.p) > 1e-6 {
				t.Fatalf("p %.8f, want %.8f", *g.P, tc.p)
			}
		})
	}
}

// TestCrossReferenceUnits checks a responsible unit's side: the unit's own
// MCP score when imported, else the area's; suppressed figures stay null.
func TestCrossReferenceUnits(t *testing.T) {
	r := crossResults(crossFig(65, 2.5, 5, 40))
	r.Units[0].Components[Internal].Elements["pbj"] = &ElementFigure{Figure: Figure{Suppressed: true, Suppression: SuppressMinGroup}}
	x := CrossReference(CrossInput{Periods: []PeriodResults{{2026, r}},
		MCP:   []MCPScore{{2026, AreaPengadaan, "", 90}, {2026, AreaPengadaan, "U", 95}},
		PMPRB: []PMPRBScore{{2026, "U", 71.5}, {2027, "U", 99}}})
	for _, a := range x.Areas {
		if a.Area != AreaPengadaan {
			continue
		}
		if len(a.Units) != 1 || a.Units[0].Unit != "U" {
			t.Fatalf("units %+v", a.Units)
		}
		u := a.Units[0]
		if *u.MCP != 95 || !u.MCPUnit || *u.PMPRB != 71.5 || u.Status != StatusHidden || len(u.Gaps) != 0 {
			t.Fatalf("unit side %+v", u)
		}
		if f := u.Elements[0].Figure; !f.Suppressed || f.Score != nil || f.CI != nil || f.N != nil {
			t.Fatalf("suppressed figure leaks: %+v", f)
		}
		if a.City.Status != StatusGap || len(a.History) != 1 || *a.History[0].Lived != 65 {
			t.Fatalf("city %+v history %+v", a.City, a.History)
		}
		return
	}
	t.Fatal("no pengadaan area")
}

// TestMCPSettings checks the mcp key: one area replaced, bad values named.
func TestMCPSettings(t *testing.T) {
	s, err := ParseSettings([]byte(`{"mcp": {"high": 90, "areas": {"dana_desa": {"elements": ["anggaran", "integritas_tugas"], "units": ["KEC-A"]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.MCP.High != 90 || s.MCP.Rise != 5 || len(s.MCP.Areas[AreaDanaDesa].Elements) != 2 || s.MCP.Areas[AreaPengadaan].Elements[0] != "pbj" {
		t.Fatalf("merged %+v", s.MCP)
	}
	_, err = ParseSettings([]byte(`{"mcp": {"high": 120, "areas": {"kesehatan": {"elements": ["pbj"]}}}}`))
	if err == nil {
		t.Fatal("bad mcp settings accepted")
	}
	for _, want := range []string{"mcp: high", `unknown area "kesehatan"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestCrossReferenceBH: rule 2's tests form one family. Alone, the city's
// fall of 6 points (p 0.0382) is a gap; beside the unit's fall of 4 points
// (p 0.1626) the BH-adjusted q is 2·0.0382 = 0.0764 (R: p.adjust(c(0.03817969,
// 0.162645), "BH")), and neither is a gap.
func TestCrossReferenceBH(t *testing.T) {
	before, now := crossResults(crossFig(80, 2, 4, 30)), crossResults(crossFig(74, 2, 4, 30))
	now.Units[0].Components[Internal].Elements["pbj"] = crossFig(76, 2, 4, 30)
	mcp := []MCPScore{{2024, AreaPengadaan, "", 74}, {2026, AreaPengadaan, "", 80}, {2024, AreaPengadaan, "U", 74}, {2026, AreaPengadaan, "U", 80}}
	x := CrossReference(CrossInput{Periods: []PeriodResults{{2025, before}, {2026, now}}, MCP: mcp})
	for _, a := range x.Areas {
		if a.Area != AreaPengadaan {
			continue
		}
		if a.City.Status != StatusNoGap || a.Units[0].Status != StatusNoGap {
			t.Fatalf("city %s %+v, unit %s %+v", a.City.Status, a.City.Gaps, a.Units[0].Status, a.Units[0].Gaps)
		}
		if p := *a.City.Elements[0].Change.P; math.Abs(p-0.03817969) > 1e-6 {
			t.Fatalf("city p %.8f", p)
		}
	}
	q := benjaminiHochberg([]float64{0.03817969, 0.162645})
	if math.Abs(q[0]-0.07635938) > 1e-7 || math.Abs(q[1]-0.162645) > 1e-7 {
		t.Fatalf("BH %v", q)
	}
}
