package analysis

// SuppressDifferencing is the suppression reason of a cell hidden because an
// earlier view published it over a set of respondents that differs from
// today's by 1..k−1 people (issue 11: views cannot be differenced). The
// caller, which keeps the history of decisions, names such cells in
// Input.Hidden; the engine treats them like a cell under k: the component
// leaves its unit's index, its elements and prevalence are hidden with it,
// and city figures, which cover published cells only, leave it out.
const SuppressDifferencing = "differencing"

// hideDifferenced hides the unit components named in Input.Hidden; it runs
// after the units' components are estimated and before the city's.
func (r *run) hideDifferenced() {
	if len(r.in.Hidden) == 0 {
		return
	}
	for u, unit := range r.in.Units {
		for t, name := range Types() {
			if f := &r.comp[cell(u, t)]; r.in.Hidden[unit.Code][name] && f.shown {
				f.hide(SuppressDifferencing)
			}
		}
	}
}
