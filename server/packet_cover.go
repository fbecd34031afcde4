package server

import (
	"context"
	"errors"

	"integritas/survey"
)

// bulkPackets is what "send to every unit head" may send in one language:
// the packets of the latest build, and only when that build is complete.
type bulkPackets struct {
	Builds    []survey.PacketBuild
	Refuse    string   // message id when nothing may be sent
	Missing   []string // with Refuse: the units the latest build lacks
	Uncovered []string // units of the period with no packet in the build (a warning)
}

// bulkPackets picks the packets a bulk send sends. A build still running,
// interrupted (the server was killed or restarted) or failed is refused
// whole: sending the packets it did make would leave the other units
// without theirs and nothing would say so. Packets built before builds
// were kept as jobs are sent as they are, newest per unit.
func (s *Server) bulkPackets(ctx context.Context, p *survey.Period, lang string) (bulkPackets, error) {
	var bp bulkPackets
	job, err := s.store.LatestPacketJob(ctx, p.ID, lang)
	switch {
	case errors.Is(err, survey.ErrNotFound):
		all, err := s.store.LatestPacketBuilds(ctx, p.ID)
		if err != nil {
			return bp, err
		}
		for _, b := range all {
			if b.Lang == lang {
				bp.Builds = append(bp.Builds, b)
			}
		}
	case err != nil:
		return bp, err
	case job.Status == survey.JobRunning:
		bp.Refuse = "robust.packets.send.running"
		return bp, nil
	case !job.Complete():
		bp.Refuse = "robust.packets.send.incomplete"
		bp.Missing, err = s.store.PacketJobMissing(ctx, job.ID)
		return bp, err
	default:
		if bp.Builds, err = s.store.PacketJobBuilds(ctx, job.ID); err != nil {
			return bp, err
		}
	}
	units, err := s.store.Units(ctx, p.ID)
	if err != nil {
		return bp, err
	}
	built := map[string]bool{}
	for _, b := range bp.Builds {
		built[b.UnitCode] = true
	}
	for _, u := range units {
		if !built[u.Code] {
			bp.Uncovered = append(bp.Uncovered, u.Code)
		}
	}
	return bp, nil
}
