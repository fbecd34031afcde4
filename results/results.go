package results

import (
	"context"
	"fmt"
	"time"

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
	return finish(ctx, st, p, units, in, nil, 0)
}

// finish applies the period's decisions to what was read and computes,
// reusing the memo's work when there is one; the first kept responses
// are those of the memo's last computation (analysis.Memo.ComputeAppended).
func finish(ctx context.Context, st *survey.Store, p *survey.Period, units []survey.Unit, in analysis.Input, memo *analysis.Memo, kept int) (*Period, error) {
	qualityFlags, compute := analysis.QualityFlags, analysis.Compute
	if memo != nil {
		qualityFlags = func(in analysis.Input) (map[int64][]analysis.Flag, error) { return memo.QualityFlagsAppended(in, kept) }
		compute = func(in analysis.Input) (*analysis.Results, error) { return memo.ComputeAppended(in, kept) }
	}
	ds, err := st.Decisions(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	applyDecisions(&in, ds, time.Time{})
	in.Hidden = nil
	if len(ds) > 0 {
		// Only decisions make views that differ by a few respondents.
		flags, err := qualityFlags(in)
		if err != nil {
			return nil, fmt.Errorf("results: period %s: %w", p.Code, err)
		}
		in.Hidden = differenced(in, ds, flags)
	}
	res, err := compute(in)
	if err != nil {
		return nil, fmt.Errorf("results: period %s: %w", p.Code, err)
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
