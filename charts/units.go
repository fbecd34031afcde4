package charts

import (
	"fmt"
	"slices"

	"integritas/analysis"
)

// selectUnits returns the units with the given codes in that order, or
// every unit in the results' order when codes is empty.
func selectUnits(res *analysis.Results, codes []string) ([]*analysis.UnitResult, error) {
	if len(codes) == 0 {
		out := make([]*analysis.UnitResult, len(res.Units))
		for i := range res.Units {
			out[i] = &res.Units[i]
		}
		return out, nil
	}
	byCode := make(map[string]*analysis.UnitResult, len(res.Units))
	for i := range res.Units {
		byCode[res.Units[i].Code] = &res.Units[i]
	}
	out := make([]*analysis.UnitResult, 0, len(codes))
	seen := map[string]bool{}
	for _, c := range codes {
		u, ok := byCode[c]
		if !ok {
			return nil, fmt.Errorf("charts: unit %q is not in the results of %q", c, res.Period)
		}
		if !seen[c] {
			out = append(out, u)
			seen[c] = true
		}
	}
	return out, nil
}

// findUnit returns one unit by code.
func findUnit(res *analysis.Results, code string) (*analysis.UnitResult, error) {
	u, err := selectUnits(res, []string{code})
	if err != nil {
		return nil, err
	}
	return u[0], nil
}

// indexN is the number of respondents behind a unit's index: the n of the
// shown components that carry weight in it.
func indexN(u *analysis.UnitResult) int {
	n := 0
	for _, c := range u.Components {
		if c != nil && !c.Suppressed && c.Weight > 0 && c.N != nil {
			n += *c.N
		}
	}
	return n
}

// elementOrder returns the element columns: the caller's order, or the
// codes present in any of the components, sorted, when none is given.
func elementOrder(given []string, comps ...*analysis.Component) []string {
	if len(given) > 0 {
		return given
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range comps {
		if c == nil {
			continue
		}
		for e := range c.Elements {
			if !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	slices.Sort(out)
	return out
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }
