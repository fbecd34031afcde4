package export

import (
	"slices"

	"integritas/analysis"
	"integritas/survey"
)

// ElementsHeader is the header of the element rows: one row per unit (and
// the pooled city) × respondent type × element. n_counted is the number of
// respondents in the score, n_received the responses the unit received of
// that type (flagged and incomplete ones included).
func ElementsHeader() []string {
	return []string{"level", "unit", "name", "type", "element", "score", "se", "ci_low", "ci_high",
		"n_counted", "n_received", "suppressed", "suppression"}
}

// elementRows writes the element table. Figures carry every digit, so each
// equals the JSON API's number; a suppressed figure is empty with its reason.
func elementRows(s sink, res *analysis.Results, opt ResultsOptions) error {
	if err := s.table(table{file: "elements.csv", sheet: opt.ElementsSheet, cols: ElementsHeader()}); err != nil {
		return err
	}
	write := func(level, code, name string, comps map[string]*analysis.Component, received map[string]analysis.ResponseCount) error {
		for _, t := range analysis.Types() {
			c := comps[t]
			if c == nil {
				continue
			}
			var recv any
			if rc, ok := received[t]; ok {
				recv = rc.Received
			}
			for _, e := range elementCodes(opt.Elements, c) {
				f := c.Elements[e]
				if f == nil {
					continue
				}
				if err := s.row(elementCells(level, code, name, t, e, f.Figure, recv)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i := range res.Units {
		u := &res.Units[i]
		if err := write(LevelUnit, u.Code, u.Name, u.Components, u.ResponseCounts); err != nil {
			return err
		}
	}
	return write(LevelCityPooled, "", opt.CityPooled, res.City.Pooled.Components, nil)
}

func elementCells(level, code, name, typ, elem string, f analysis.Figure, received any) []any {
	var score, se, lo, hi, n any
	if f.Score != nil {
		score = exact(*f.Score)
	}
	if f.SE != nil {
		se = exact(*f.SE)
	}
	if f.CI != nil {
		lo, hi = exact(f.CI[0]), exact(f.CI[1])
	}
	if f.N != nil {
		n = *f.N
	}
	return []any{level, code, name, typ, elem, score, se, lo, hi, n, received, f.Suppressed, f.Suppression}
}

// elementCodes is the order of a component's elements: the given order
// (the instrument's), then any other present code, sorted.
func elementCodes(order []string, c *analysis.Component) []string {
	out := make([]string, 0, len(c.Elements))
	seen := map[string]bool{}
	for _, e := range order {
		if _, ok := c.Elements[e]; ok && !seen[e] {
			out, seen[e] = append(out, e), true
		}
	}
	var rest []string
	for e := range c.Elements {
		if !seen[e] {
			rest = append(rest, e)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// ElementOrder is the instrument's element order, the one order of every
// table and chart.
func ElementOrder(inst *survey.Instrument) []string {
	out := make([]string, len(inst.Elements))
	for i, e := range inst.Elements {
		out[i] = e.Code
	}
	return out
}
