package server

import (
	"context"

	"integritas/results"
	"integritas/survey"
)

// Why a unit's packet is held back (spi-method §6).
const (
	holdReview = "review" // a flagged coached cluster awaits the Inspectorate's decision
	holdStale  = "stale"  // built before the unit's latest decision: rebuild first
)

// packetHolds says, per unit code, why its latest packet may not be sent
// now: the unit is under review, or a decision about it came after the
// build (the packet would print figures the decision changed).
func (s *Server) packetHolds(ctx context.Context, p *survey.Period, builds []survey.PacketBuild) (map[string]string, error) {
	r, err := s.results.Get(ctx, p.Code, results.Options{})
	if err != nil {
		return nil, err
	}
	holds := map[string]string{}
	for _, u := range r.Results.Units {
		if u.Review.UnderReview {
			holds[u.Code] = holdReview
		}
	}
	for _, b := range builds {
		if holds[b.UnitCode] != "" {
			continue
		}
		for _, d := range r.Decisions {
			if d.UnitCode == b.UnitCode && (d.DecidedAt.After(b.BuiltAt) || d.RevokedAt.After(b.BuiltAt)) {
				holds[b.UnitCode] = holdStale
			}
		}
	}
	return holds, nil
}
