package results

import (
	"context"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"integritas/analysis"
	"integritas/survey"
)

// Options change how a period is computed. No caller chooses exclusions:
// the figures are those of the Inspectorate's recorded decisions (a view
// chosen per request could be differenced against another, issue 11).
type Options struct{}

// Period is a computed period with what was read to compute it.
type Period struct {
	Period  *survey.Period
	Units   []survey.Unit
	Input   analysis.Input
	Results *analysis.Results
	// Decisions are every recorded decision of the period, in force or
	// revoked, oldest first (the data-quality page lists them).
	Decisions []survey.Decision
}

// Compute reads a period and computes its results.
func Compute(ctx context.Context, st *survey.Store, code string, opt Options) (*Period, error) {
	p, err := st.Period(ctx, code)
	if err != nil {
		return nil, err
	}
	in, units, err := Load(ctx, st, p)
	if err != nil {
		return nil, err
	}
	ds, err := st.Decisions(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	applyDecisions(&in, ds, time.Time{})
	if len(ds) > 0 {
		// Only decisions make views that differ by a few respondents.
		flags, err := analysis.QualityFlags(in)
		if err != nil {
			return nil, fmt.Errorf("results: period %s: %w", code, err)
		}
		in.Hidden = differenced(in, ds, flags)
	}
	res, err := analysis.Compute(in)
	if err != nil {
		return nil, fmt.Errorf("results: period %s: %w", code, err)
	}
	return &Period{Period: p, Units: units, Input: in, Results: res, Decisions: ds}, nil
}

// Load reads everything analysis needs for a period.
func Load(ctx context.Context, st *survey.Store, p *survey.Period) (analysis.Input, []survey.Unit, error) {
	settings, err := analysis.ParseSettings(p.Settings)
	if err != nil {
		return analysis.Input{}, nil, fmt.Errorf("results: settings of %s: %w", p.Code, err)
	}
	in := analysis.Input{Period: p.Code, Settings: settings, Corrections: map[string][]analysis.Correction{}}
	in.Elements, in.Items = Instrument(p.Instrument)
	units, err := st.Units(ctx, p.ID)
	if err != nil {
		return in, nil, err
	}
	codes := make(map[int64]string, len(units))
	for _, u := range units {
		codes[u.ID] = u.Code
		in.Units = append(in.Units, analysis.Unit{Code: u.Code, Name: u.Name, Parent: u.ParentCode, Population: u.Population})
	}
	if in.Responses, err = responses(ctx, st, p, codes); err != nil {
		return in, nil, err
	}
	corrections, err := st.Corrections(ctx, p.ID)
	if err != nil {
		return in, nil, err
	}
	for _, c := range corrections {
		in.Corrections[c.UnitCode] = append(in.Corrections[c.UnitCode], analysis.Correction{Points: c.Points, Kind: c.Kind, Reason: c.Reason, Evidence: c.Evidence})
	}
	if p.Instrument.Strata != nil {
		if in.Strata, err = st.StrataCounts(ctx, p.ID); err != nil {
			return in, nil, err
		}
	}
	return in, units, nil
}

// responses reads the period's responses, splitting the id range across the
// cores. Answer vectors are copied into shared slabs so that 500,000
// responses cost a few hundred allocations, not 500,000.
func responses(ctx context.Context, st *survey.Store, p *survey.Period, codes map[int64]string) ([]analysis.Response, error) {
	lo, hi, err := st.ResponseIDRange(ctx, p.ID)
	if err != nil || hi < lo {
		return nil, err
	}
	parts := int64(runtime.GOMAXPROCS(0))
	if hi-lo < 20000 {
		parts = 1
	}
	step := (hi - lo + parts) / parts
	out := make([][]analysis.Response, parts)
	g, ctx := errgroup.WithContext(ctx)
	for i := range parts {
		from, to := lo+i*step, min(hi, lo+(i+1)*step-1)
		g.Go(func() error {
			var err error
			out[i], err = readRange(ctx, st, p, codes, from, to)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return slices.Concat(out...), nil
}

func readRange(ctx context.Context, st *survey.Store, p *survey.Period, codes map[int64]string, lo, hi int64) ([]analysis.Response, error) {
	width := len(p.Instrument.Items)
	// Ids are dense within a period in practice: size for the whole range
	// once instead of growing by copying.
	out := make([]analysis.Response, 0, min(hi-lo+1, 1<<22))
	var slab []byte
	err := st.EachResponseIn(ctx, p.ID, lo, hi, func(r *survey.StoredResponse) error {
		if len(slab) < width {
			slab = make([]byte, width*4096)
		}
		ans := slab[:width:width]
		slab = slab[width:]
		copy(ans, r.Answers) // a vector shorter than the instrument leaves NoAnswer
		resp := analysis.Response{ID: r.ID, Unit: codes[r.UnitID], Type: r.Type, Channel: r.Channel, Hour: r.Hour,
			Duration: float64(r.Duration), Stratum: r.Stratum, Answers: ans,
			Incomplete: r.Channel == survey.ChannelPaper && p.Instrument.SkippedRequired(r.Type, ans) > 0}
		if len(r.DeviceHash) > 0 {
			resp.Device = hex.EncodeToString(r.DeviceHash)
		}
		out = append(out, resp)
		return nil
	})
	return out, err
}

// Instrument converts the survey instrument to analysis's plain view.
func Instrument(inst *survey.Instrument) ([]analysis.Element, []analysis.Item) {
	els := make([]analysis.Element, 0, len(inst.Elements))
	for _, e := range inst.Elements {
		els = append(els, analysis.Element{Code: e.Code, Weight: e.Weight})
	}
	kinds := map[string]analysis.ItemKind{survey.KindOrdinal: analysis.Ordinal, survey.KindExperience: analysis.Experience, survey.KindText: analysis.Text}
	items := make([]analysis.Item, 0, len(inst.Items))
	for _, it := range inst.Items {
		items = append(items, analysis.Item{Code: it.Code, Element: it.Element, Kind: kinds[it.Scale.Kind], Points: it.Scale.Points,
			Reverse: it.Reverse, Types: append([]string(nil), it.Types...)})
	}
	return els, items
}
