package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"integritas/results"
	"integritas/survey"
)

// openLinkCounts is what became of a unit's (or the city's) open-link
// submissions over the period: stored, flagged among those in the results,
// and refused by reason.
type openLinkCounts struct {
	Unit          string `json:"unit,omitempty"`
	Name          string `json:"name,omitempty"`
	Stored        int    `json:"stored"`
	Flagged       int    `json:"flagged"` // stored open-link answers carrying a data-quality flag
	CappedDevice  int    `json:"capped_device"`
	CappedAddress int    `json:"capped_address"`
	NoCookie      int    `json:"no_cookie"`
	BadForm       int    `json:"bad_form"` // missing, forged or for another unit
	Expired       int    `json:"expired"`
	Replayed      int    `json:"replayed"`
}

// Capped and Refused sum the refusals for the page.
func (o openLinkCounts) Capped() int { return o.CappedDevice + o.CappedAddress }
func (o openLinkCounts) Refused() int {
	return o.NoCookie + o.BadForm + o.Expired + o.Replayed
}

func (o *openLinkCounts) add(outcome string, n int) {
	switch outcome {
	case survey.OutcomeStored:
		o.Stored += n
	case survey.OutcomeCappedDevice:
		o.CappedDevice += n
	case survey.OutcomeCappedAddress:
		o.CappedAddress += n
	case survey.OutcomeNoCookie:
		o.NoCookie += n
	case survey.OutcomeBadForm:
		o.BadForm += n
	case survey.OutcomeExpired:
		o.Expired += n
	case survey.OutcomeReplayed:
		o.Replayed += n
	}
}

// openLinkReport is the period's open-link counts: the city and each unit
// that received any.
type openLinkReport struct {
	City  openLinkCounts   `json:"city"`
	Units []openLinkCounts `json:"units"`
}

// openLinkReport counts a period's open-link outcomes (writing pending
// refusal counts first) and the flags on its stored open-link answers.
func (s *Server) openLinkReport(ctx context.Context, r *results.Period) (*openLinkReport, error) {
	if err := s.resp.open.flush(ctx, s.store, s.now()); err != nil {
		return nil, err
	}
	counts, err := s.store.OpenLinkCounts(ctx, r.Period.ID)
	if err != nil {
		return nil, err
	}
	flags, err := s.quality.flags(r)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*openLinkCounts{}
	byCode := map[string]*openLinkCounts{}
	rep := &openLinkReport{}
	for _, u := range r.Units {
		rep.Units = append(rep.Units, openLinkCounts{Unit: u.Code, Name: u.Name})
	}
	for i, u := range r.Units {
		byID[u.ID], byCode[u.Code] = &rep.Units[i], &rep.Units[i]
	}
	for _, o := range counts {
		if u := byID[o.UnitID]; u != nil {
			u.add(o.Outcome, o.N)
		}
		rep.City.add(o.Outcome, o.N)
	}
	for _, resp := range r.Input.Responses {
		if resp.Channel != survey.ChannelOpen || len(flags[resp.ID]) == 0 {
			continue
		}
		rep.City.Flagged++
		if u := byCode[resp.Unit]; u != nil {
			u.Flagged++
		}
	}
	kept := rep.Units[:0]
	for _, u := range rep.Units {
		if u != (openLinkCounts{Unit: u.Unit, Name: u.Name}) {
			kept = append(kept, u)
		}
	}
	rep.Units = kept
	return rep, nil
}

// apiOpenLinks answers the period's open-link counts (analysts, inspectors).
func (s *Server) apiOpenLinks(c *gin.Context) {
	r, _, ok := s.loadResults(c)
	if !ok {
		return
	}
	rep, err := s.openLinkReport(c.Request.Context(), r)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}

// openSpike is a unit whose open link received unusually many submissions
// within an hour of the last day.
type openSpike struct {
	Unit, Name string
	Peak       int       // submissions (stored or refused) in the busiest hour
	Ended      time.Time // when that hour ended
	Usual      float64   // the unit's usual submissions per hour, before today
}

// openSpikes finds the period's units with a spike: the busiest hour of the
// last day (in memory, since this process started) against the unit's
// usual hourly rate over the period's earlier days (from the counts).
func (s *Server) openSpikes(ctx context.Context, p *survey.Period) ([]openSpike, error) {
	units, err := s.store.Units(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if err := s.resp.open.flush(ctx, s.store, s.now()); err != nil {
		return nil, err
	}
	counts, err := s.store.OpenLinkCounts(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	today := now.UTC().Format(time.DateOnly)
	total := map[int64]int{}
	first := today
	for _, o := range counts {
		if o.Day < today {
			total[o.UnitID] += o.N
			first = min(first, o.Day)
		}
	}
	hours := 0.0
	if d, err := time.Parse(time.DateOnly, first); err == nil {
		hours = now.UTC().Truncate(24 * time.Hour).Sub(d).Hours()
	}
	var out []openSpike
	for _, u := range units {
		peak, ended := s.resp.open.spikes.peak(p.ID, u.ID, now)
		usual := 0.0
		if hours > 0 {
			usual = float64(total[u.ID]) / hours
		}
		if isSpike(peak, usual) {
			out = append(out, openSpike{Unit: u.Code, Name: u.Name, Peak: peak, Ended: ended, Usual: usual})
		}
	}
	return out, nil
}

// spikeAlerts words the period's open-link spikes for the inspectorate's
// pages; a failure to read them is logged, not shown: the page still works.
func (s *Server) spikeAlerts(c *gin.Context, p *survey.Period) []string {
	spikes, err := s.openSpikes(c.Request.Context(), p)
	if err != nil {
		s.log.Error("open-link spikes", "period", p.Code, "err", err)
		return nil
	}
	tr := s.tr(c)
	out := make([]string, 0, len(spikes))
	for _, sp := range spikes {
		out = append(out, tr.T("open.spike.line", "Unit", sp.Name, "Code", sp.Unit, "Peak", sp.Peak,
			"Ended", sp.Ended.UTC().Format("2006-01-02 15:04"), "Usual", tr.Num(sp.Usual, 1)))
	}
	return out
}
