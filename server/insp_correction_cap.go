package server

import (
	"context"

	"integritas/analysis"
	"integritas/survey"
)

// overCap reports whether adding points to a unit's correction items would
// pass the period's correction cap (method settings, default 20), with the
// cap and the unit's current total, so the entry is refused naming the cap
// instead of being silently capped in the results.
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
	return total+points > st.CorrectionCap+1e-9, st.CorrectionCap, total, nil
}
