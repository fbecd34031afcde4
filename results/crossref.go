package results

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"integritas/analysis"
	"integritas/survey"
)

// Year is the year a period's MCP figures belong to: the year it opens,
// else the year it closes, else the year it was created.
func Year(p *survey.Period) int {
	for _, d := range []string{p.OpensOn, p.ClosesOn} {
		if len(d) >= 4 {
			if y, err := strconv.Atoi(d[:4]); err == nil {
				return y
			}
		}
	}
	return p.CreatedAt.UTC().Year()
}

// CrossRef sets the stored MCP and PMPRB figures beside a computed period
// and the open or closed periods before it (analysis.CrossReference).
func CrossRef(ctx context.Context, st *survey.Store, cur *Period, get Getter) (*analysis.CrossRef, error) {
	ps, err := st.Periods(ctx)
	if err != nil {
		return nil, err
	}
	start := func(p *survey.Period) string {
		if p.OpensOn != "" {
			return p.OpensOn
		}
		return p.CreatedAt.Format("2006-01-02")
	}
	ps = slices.DeleteFunc(ps, func(p *survey.Period) bool {
		return p.ID != cur.Period.ID && (p.Status == survey.StatusDraft || start(p) > start(cur.Period) || Year(p) >= Year(cur.Period))
	})
	slices.SortFunc(ps, func(a, b *survey.Period) int { return cmp.Or(cmp.Compare(start(a), start(b)), cmp.Compare(a.ID, b.ID)) })
	var in analysis.CrossInput
	for _, p := range ps {
		r := cur
		if p.ID != cur.Period.ID {
			if r, err = get(ctx, p.Code); err != nil {
				return nil, err
			}
		}
		in.Periods = append(in.Periods, analysis.PeriodResults{Year: Year(p), Results: r.Results})
	}
	// The current period's settings (mapping, thresholds) judge every year.
	in.Periods = slices.DeleteFunc(in.Periods, func(pr analysis.PeriodResults) bool { return pr.Results == nil })
	mcp, err := st.MCPScores(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range mcp {
		in.MCP = append(in.MCP, analysis.MCPScore{Year: m.Year, Area: m.Area, Unit: m.Unit, Score: m.Score})
	}
	pmprb, err := st.PMPRBScores(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range pmprb {
		in.PMPRB = append(in.PMPRB, analysis.PMPRBScore{Year: p.Year, Unit: p.Unit, Score: p.Score})
	}
	return analysis.CrossReference(in), nil
}
