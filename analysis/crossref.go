package analysis

import (
	"math"
	"slices"
	"sort"
)

// MCPScore is one MCP figure: an area's score (0–100) in a year, for the
// whole government (Unit "") or for one responsible unit.
type MCPScore struct {
	Year  int     `json:"year"`
	Area  string  `json:"area"`
	Unit  string  `json:"unit,omitempty"`
	Score float64 `json:"score"`
}

// PMPRBScore is a unit's PMPRB (bureaucratic-reform self-assessment) score in a year.
type PMPRBScore struct {
	Year  int     `json:"year"`
	Unit  string  `json:"unit"`
	Score float64 `json:"score"`
}

// PeriodResults is a period's results with the year its MCP figures belong to.
type PeriodResults struct {
	Year    int
	Results *Results
}

// CrossInput is what the cross-reference is computed from: the periods in
// order (the current one last) and every MCP and PMPRB figure.
type CrossInput struct {
	Periods []PeriodResults
	MCP     []MCPScore
	PMPRB   []PMPRBScore
}

// Gap rules and side statuses.
const (
	GapHighPaper   = "high_paper_low_lived" // MCP ≥ High while an element's CI lies below Waspada
	GapRiseAndFall = "paper_rises_lived_falls"
	StatusGap      = "gap"
	StatusNoGap    = "no_gap"
	StatusNoMCP    = "no_mcp"     // no MCP score for the year
	StatusHidden   = "suppressed" // every mapped figure rests on fewer than k respondents
	StatusNoSPI    = "no_spi"     // no respondent type answered a mapped element here
)

// CrossRef is paper (MCP) against lived (SPI) integrity for one period.
type CrossRef struct {
	Year    int          `json:"year"`
	High    float64      `json:"high"`    // MCP top band from
	Rise    float64      `json:"rise"`    // MCP rise over two years
	Waspada float64      `json:"waspada"` // the SPI Waspada threshold
	Areas   []AreaCross  `json:"areas"`
	PMPRB   []PMPRBScore `json:"pmprb"`
}

// AreaCross is one MCP area: its mapping, its history and each side's verdict.
type AreaCross struct {
	Area     string      `json:"area"`
	Elements []string    `json:"elements"`
	History  []AreaYear  `json:"history"`
	City     CrossSide   `json:"city"`
	Units    []CrossSide `json:"units"`
}

// AreaYear is the paper score and the lowest published lived score of an area in a year.
type AreaYear struct {
	Year    int      `json:"year"`
	MCP     *float64 `json:"mcp"`
	Lived   *float64 `json:"lived"` // null when no mapped figure is published
	Element string   `json:"element,omitempty"`
	Type    string   `json:"type,omitempty"`
}

// CrossSide is the city or one responsible unit within an area.
type CrossSide struct {
	Unit      string         `json:"unit,omitempty"`
	Name      string         `json:"name,omitempty"`
	MCP       *float64       `json:"mcp"`
	MCPUnit   bool           `json:"mcp_unit"` // the MCP score is the unit's own, not the area's
	MCPTwoAgo *float64       `json:"mcp_two_years_ago"`
	PMPRB     *float64       `json:"pmprb"`
	Elements  []LivedElement `json:"elements"`
	Status    string         `json:"status"`
	Gaps      []Gap          `json:"gaps"`

	falls []int // Elements whose change rule 2 tests
}

// LivedElement is a mapped element's published figure for one respondent
// type, with its change from the previous period.
type LivedElement struct {
	Element string      `json:"element"`
	Type    string      `json:"type"`
	Figure  Figure      `json:"figure"`
	Change  *Difference `json:"change"`
}

// Gap is one reason an area shows prevention on paper only.
type Gap struct {
	Rule    string   `json:"rule"`
	Element string   `json:"element"`
	Type    string   `json:"type"`
	MCP     float64  `json:"mcp"`
	Score   float64  `json:"score"`
	CIHigh  float64  `json:"ci_high"`
	Diff    *float64 `json:"diff,omitempty"`
	P       *float64 `json:"p,omitempty"`
	Q       *float64 `json:"q,omitempty"` // p after Benjamini–Hochberg over the cross-reference's rule-2 tests
}

// waspadaFrom is the lower end of the first band that is not a risk band.
func waspadaFrom(s Settings) float64 {
	for _, b := range s.Categories.bands() {
		if !b.Risk {
			return b.From
		}
	}
	return 73
}

// CrossReference sets each MCP area's paper score beside the mapped SPI
// elements of the current (last) period, for the city and each responsible
// unit, and flags a gap when either rule holds (see README, "MCP and PMPRB"):
//
//  1. MCP ≥ High while some type's published 95 % CI upper end of a mapped
//     element lies below the Waspada threshold;
//  2. MCP rose by at least Rise over two years (year − 2 to year) while a
//     mapped element fell significantly since the previous period (the
//     difference of the published estimates, two-sided, q < 0.05 after
//     Benjamini–Hochberg over every such test of the cross-reference).
//
// Only published figures (n ≥ k) are read: a suppressed cell gives no gap.
func CrossReference(in CrossInput) *CrossRef {
	if len(in.Periods) == 0 || in.Periods[len(in.Periods)-1].Results == nil {
		return nil
	}
	cur := in.Periods[len(in.Periods)-1]
	var prev *Results
	if len(in.Periods) > 1 {
		prev = in.Periods[len(in.Periods)-2].Results
	}
	s := cur.Results.Settings
	out := &CrossRef{Year: cur.Year, High: s.MCP.High, Rise: s.MCP.Rise, Waspada: waspadaFrom(s), PMPRB: []PMPRBScore{}}
	mcp := mcpIndex(in.MCP)
	pmprb := map[string]float64{}
	for _, p := range in.PMPRB {
		if p.Year == cur.Year {
			pmprb[p.Unit] = p.Score
		}
		if p.Year <= cur.Year {
			out.PMPRB = append(out.PMPRB, p)
		}
	}
	units := map[string]*UnitResult{}
	for i := range cur.Results.Units {
		units[cur.Results.Units[i].Code] = &cur.Results.Units[i]
	}
	for _, area := range MCPAreas() {
		m, ok := s.MCP.Areas[area]
		if !ok || len(m.Elements) == 0 {
			continue
		}
		ac := AreaCross{Area: area, Elements: m.Elements, Units: []CrossSide{}}
		ac.History = history(in, area, m.Elements, mcp)
		ac.City = out.side(s, m.Elements, mcp.get(cur.Year, area, ""), mcp.get(cur.Year-2, area, ""),
			cityComponents(cur.Results), cityComponents(prev))
		for _, code := range responsible(m, area, mcp) {
			u, ok := units[code]
			if !ok {
				continue // not surveyed in this period
			}
			paper, own := mcp.get(cur.Year, area, code), true
			if paper == nil {
				paper, own = mcp.get(cur.Year, area, ""), false
			}
			ago := mcp.get(cur.Year-2, area, code)
			if !own || ago == nil {
				ago = mcp.get(cur.Year-2, area, "")
			}
			sd := out.side(s, m.Elements, paper, ago, u.Components, unitComponents(prev, code))
			sd.Unit, sd.Name, sd.MCPUnit = code, u.Name, own
			if v, ok := pmprb[code]; ok {
				sd.PMPRB = ptr(v)
			}
			ac.Units = append(ac.Units, sd)
		}
		out.Areas = append(out.Areas, ac)
	}
	out.riseAndFall()
	return out
}

// riseAndFall applies rule 2: every change tested (a mapped element of a
// side whose MCP rose) forms one family, adjusted by Benjamini–Hochberg
// (R's p.adjust(p, "BH")) as spi-method §5 asks of every "significantly";
// a fall with q < 0.05 is a gap.
func (x *CrossRef) riseAndFall() {
	type test struct {
		sd *CrossSide
		i  int
	}
	var tests []test
	var ps []float64
	for a := range x.Areas {
		sides := []*CrossSide{&x.Areas[a].City}
		for u := range x.Areas[a].Units {
			sides = append(sides, &x.Areas[a].Units[u])
		}
		for _, sd := range sides {
			for _, i := range sd.falls {
				tests = append(tests, test{sd, i})
				ps = append(ps, *sd.Elements[i].Change.P)
			}
		}
	}
	qs := benjaminiHochberg(ps)
	for k, tc := range tests {
		le, sd := tc.sd.Elements[tc.i], tc.sd
		if ch := le.Change; qs[k] < 0.05 && *ch.Diff < 0 {
			sd.Gaps = append(sd.Gaps, Gap{Rule: GapRiseAndFall, Element: le.Element, Type: le.Type, MCP: *sd.MCP,
				Score: *le.Figure.Score, CIHigh: le.Figure.CI[1], Diff: ch.Diff, P: ch.P, Q: ptr(qs[k])})
			sd.Status = StatusGap
		}
	}
}

// benjaminiHochberg returns the BH-adjusted p-values, in the input's order.
func benjaminiHochberg(p []float64) []float64 {
	n := len(p)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return p[idx[a]] > p[idx[b]] })
	q := make([]float64, n)
	low := 1.0
	for r, i := range idx {
		low = math.Min(low, p[i]*float64(n)/float64(n-r))
		q[i] = low
	}
	return q
}

// side judges one side (the city or a unit) of an area.
func (x *CrossRef) side(s Settings, elements []string, paper, ago *float64, comps, before map[string]*Component) CrossSide {
	sd := CrossSide{MCP: paper, MCPTwoAgo: ago, Elements: []LivedElement{}, Gaps: []Gap{}}
	rose := paper != nil && ago != nil && *paper-*ago >= x.Rise-1e-9
	published := false
	for _, e := range elements {
		for _, t := range Types() {
			f := elementFigure(comps, t, e)
			if f == nil {
				continue
			}
			le := LivedElement{Element: e, Type: t, Figure: *f}
			if f.Suppressed || f.Score == nil || f.CI == nil {
				le.Figure = Figure{Suppressed: true, Suppression: f.Suppression}
				sd.Elements = append(sd.Elements, le)
				continue
			}
			published = true
			if b := elementFigure(before, t, e); b != nil && !b.Suppressed && b.Score != nil && b.SE != nil && b.N != nil && f.SE != nil && f.N != nil {
				le.Change = publishedDifference(*b, *f)
			}
			sd.Elements = append(sd.Elements, le)
			if paper == nil {
				continue
			}
			if *paper >= x.High && f.CI[1] < x.Waspada {
				sd.Gaps = append(sd.Gaps, Gap{Rule: GapHighPaper, Element: e, Type: t, MCP: *paper, Score: *f.Score, CIHigh: f.CI[1]})
			}
			if ch := le.Change; rose && ch != nil && ch.P != nil {
				sd.falls = append(sd.falls, len(sd.Elements)-1) // tested after Benjamini–Hochberg, see riseAndFall
			}
		}
	}
	sd.status(paper != nil, published)
	return sd
}

// status sets a side's verdict from its gaps and what was published.
func (sd *CrossSide) status(paper, published bool) {
	switch {
	case len(sd.Gaps) > 0:
		sd.Status = StatusGap
	case len(sd.Elements) == 0:
		sd.Status = StatusNoSPI
	case !published:
		sd.Status = StatusHidden
	case !paper:
		sd.Status = StatusNoMCP
	default:
		sd.Status = StatusNoGap
	}
}

// publishedDifference compares two published element figures (spi-method §4:
// SE = √(SE₁² + SE₂²), Welch–Satterthwaite df from n − 1).
func publishedDifference(a, b Figure) *Difference {
	va, vb := *a.SE**a.SE, *b.SE**b.SE
	df := welchSatterthwaite([]float64{va, vb}, []float64{float64(*a.N - 1), float64(*b.N - 1)})
	return difference(*a.Score, *b.Score, math.Sqrt(va+vb), df)
}

func elementFigure(comps map[string]*Component, t, e string) *Figure {
	c := comps[t]
	if c == nil || c.Elements[e] == nil {
		return nil
	}
	f := c.Elements[e].Figure
	if c.Suppressed && !f.Suppressed {
		f = Figure{Suppressed: true, Suppression: SuppressParent}
	}
	return &f
}

func cityComponents(r *Results) map[string]*Component {
	if r == nil {
		return nil
	}
	return r.City.Pooled.Components
}

func unitComponents(r *Results, code string) map[string]*Component {
	if r == nil {
		return nil
	}
	for i := range r.Units {
		if r.Units[i].Code == code {
			return r.Units[i].Components
		}
	}
	return nil
}

// mcpKey finds an MCP score by year, area and unit ("" for the area as a whole).
type mcpKey struct {
	year       int
	area, unit string
}

type mcpScores map[mcpKey]float64

func mcpIndex(rows []MCPScore) mcpScores {
	m := mcpScores{}
	for _, r := range rows {
		m[mcpKey{r.Year, r.Area, r.Unit}] = r.Score
	}
	return m
}

func (m mcpScores) get(year int, area, unit string) *float64 {
	if v, ok := m[mcpKey{year, area, unit}]; ok {
		return ptr(v)
	}
	return nil
}

// responsible lists an area's units: the mapping's, then those with an MCP score of their own.
func responsible(a MCPArea, area string, m mcpScores) []string {
	out := append([]string(nil), a.Units...)
	var extra []string
	for k := range m {
		if k.area == area && k.unit != "" && !slices.Contains(out, k.unit) && !slices.Contains(extra, k.unit) {
			extra = append(extra, k.unit)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// history gives, for each year up to the current one, the area's MCP score
// and the lowest published city figure of its elements.
func history(in CrossInput, area string, elements []string, m mcpScores) []AreaYear {
	cur := in.Periods[len(in.Periods)-1].Year
	years := map[int]*AreaYear{}
	at := func(y int) *AreaYear {
		if years[y] == nil {
			years[y] = &AreaYear{Year: y}
		}
		return years[y]
	}
	for k, v := range m {
		if k.area == area && k.unit == "" && k.year <= cur {
			at(k.year).MCP = ptr(v)
		}
	}
	for _, p := range in.Periods {
		if p.Results == nil {
			continue
		}
		ay := at(p.Year)
		for _, e := range elements {
			for _, t := range Types() {
				f := elementFigure(p.Results.City.Pooled.Components, t, e)
				if f == nil || f.Suppressed || f.Score == nil {
					continue
				}
				if ay.Lived == nil || *f.Score < *ay.Lived {
					ay.Lived, ay.Element, ay.Type = ptr(*f.Score), e, t
				}
			}
		}
	}
	out := make([]AreaYear, 0, len(years))
	for _, y := range years {
		out = append(out, *y)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out
}
