package packet

import (
	"fmt"
	"slices"
	"time"

	"integritas/analysis"
	"integritas/charts"
	"integritas/locale"
	"integritas/results"
	"integritas/survey"
)

// Source is what every packet of a period shares, prepared once and then
// read concurrently by many builds.
type Source struct {
	Current *results.Period
	// History holds earlier periods, oldest first, for the trend and the
	// change since the last: Prepare keeps what packets show of them, and
	// NewSource then drops them.
	History []*results.Period
	// FollowUp holds the previous period's action plans by unit code.
	FollowUp map[string][]survey.ActionPlan
	// Org are the organisation settings (flags applied) the cover letter
	// is written from: letterhead, number, signatory.
	Org survey.OrgSettings
	// Date is printed on the cover letter.
	Date   time.Time
	Bundle *locale.Bundle
	// Cross is MCP beside SPI for the period (issue 19); nil prints no rows.
	Cross *analysis.CrossRef

	changes map[string]analysis.UnitChange
	// trends holds each unit's index in every period, oldest first, and
	// prevPeriod names the latest earlier period (hasPrev): all packets
	// read of History.
	trends     map[string][]histPoint
	prevPeriod string
	hasPrev    bool
	units      map[string]*analysis.UnitResult
	frames     map[string]survey.Unit
	seq        map[string]int // the letter's running number, by unit code
	// chartCache holds the fonts and glyph masks every packet's charts share.
	chartCache *charts.Cache
}

// Prepare checks the source and computes what all packets share: the change
// against the latest earlier period and the unit look-ups.
func (s *Source) Prepare() error {
	if s.Current == nil || s.Current.Results == nil || s.Current.Period == nil {
		return fmt.Errorf("packet: no computed period")
	}
	if s.Bundle == nil {
		return fmt.Errorf("packet: no locale bundle")
	}
	s.units = make(map[string]*analysis.UnitResult, len(s.Current.Results.Units))
	s.seq = make(map[string]int, len(s.Current.Results.Units))
	for i := range s.Current.Results.Units {
		u := &s.Current.Results.Units[i]
		s.units[u.Code] = u
		s.seq[u.Code] = i + 1
	}
	s.frames = make(map[string]survey.Unit, len(s.Current.Units))
	for _, u := range s.Current.Units {
		s.frames[u.Code] = u
	}
	s.changes = map[string]analysis.UnitChange{}
	if n := len(s.History); n > 0 {
		for _, ch := range analysis.Compare(s.History[n-1].Results, s.Current.Results) {
			s.changes[ch.Unit] = ch
		}
	}
	s.trends = make(map[string][]histPoint, len(s.units))
	for _, p := range append(slices.Clone(s.History), s.Current) {
		var city *float64
		if c := p.Results.City.Pooled.Index; c != nil && !p.Results.City.Pooled.Suppressed {
			city = clone(c)
		}
		for i := range p.Results.Units {
			u := &p.Results.Units[i]
			if s.units[u.Code] != nil {
				s.trends[u.Code] = append(s.trends[u.Code], histPoint{period: p.Period.Name, unit: detach(u.IndexFigure), city: city})
			}
		}
	}
	if n := len(s.History); n > 0 {
		s.prevPeriod, s.hasPrev = s.History[n-1].Period.Name, true
	}
	if s.Date.IsZero() {
		s.Date = time.Now()
	}
	s.chartCache = charts.NewCache()
	return nil
}

// Units lists the unit codes of the current period in its order.
func (s *Source) Units() []string {
	out := make([]string, 0, len(s.Current.Results.Units))
	for _, u := range s.Current.Results.Units {
		out = append(out, u.Code)
	}
	return out
}

// HasUnit reports whether the current period has results for the unit.
func (s *Source) HasUnit(code string) bool {
	_, ok := s.units[code]
	return ok
}

// unit returns the unit's results and frame.
func (s *Source) unit(code string) (*analysis.UnitResult, survey.Unit, error) {
	u, ok := s.units[code]
	if !ok {
		return nil, survey.Unit{}, fmt.Errorf("packet: unit %q: %w", code, survey.ErrNotFound)
	}
	return u, s.frames[code], nil
}

// history returns the unit's index in each period, oldest first.
func (s *Source) history(code string) []histPoint { return s.trends[code] }

// detach copies an index figure and the values it points to, which an
// earlier period's results would otherwise stay in memory for.
func detach(f analysis.IndexFigure) analysis.IndexFigure {
	f.Index, f.SE, f.CI, f.Margin, f.DF, f.CategoryLabel = clone(f.Index), clone(f.SE), clone(f.CI), clone(f.Margin), clone(f.DF), clone(f.CategoryLabel)
	return f
}

func clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

type histPoint struct {
	period string
	unit   analysis.IndexFigure
	city   *float64
}
