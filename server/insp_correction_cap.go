package server

import (
	"context"

	"integritas/analysis"
	"integritas/results"
	"integritas/survey"
)

// overCap reports whether adding points to a unit's correction items would
// pass the period's correction cap (method settings, default 20), with the
// cap and the unit's current total, so the entry is refused naming the cap
// instead of being silently capped in the results. The rule is
// results.CorrectionsOverCap, shared with the command line.
func (s *Server) overCap(ctx context.Context, p *survey.Period, unit string, points float64) (over bool, limit, total float64, err error) {
	st, err := analysis.ParseSettings(p.Settings)
	if err != nil {
		return false, 0, 0, err
	}
	items, err := s.store.Corrections(ctx, p.ID)
	if err != nil {
		return false, 0, 0, err
	}
	for _, it := range items {
		if it.UnitCode == unit {
			total += it.Points
		}
	}
	o, err := results.CorrectionsOverCap(p, items, []survey.Correction{{UnitCode: unit, Points: points}}, false)
	if err != nil {
		return false, 0, 0, err
	}
	return len(o) > 0, st.CorrectionCap, total, nil
}
