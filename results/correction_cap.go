package results

import (
	"integritas/analysis"
	"integritas/survey"
)

// OverCap is a unit whose correction items would pass the period's cap.
type OverCap struct {
	Unit     string
	Cap      float64 // the period's correction cap (method settings, default 20)
	Recorded float64 // points already recorded for the unit (0 when replaced)
	Adding   float64 // points the entry adds
}

// CorrectionsOverCap lists, in the order of adds, the units whose items
// would pass the period's correction cap once adds are recorded beside the
// existing ones (or instead of them, with replace), so every way in — the
// inspectorate's page and both commands — refuses the entry naming the cap
// instead of the results silently capping it.
func CorrectionsOverCap(p *survey.Period, existing, adds []survey.Correction, replace bool) ([]OverCap, error) {
	st, err := analysis.ParseSettings(p.Settings)
	if err != nil {
		return nil, err
	}
	recorded := map[string]float64{}
	if !replace {
		for _, c := range existing {
			recorded[c.UnitCode] += c.Points
		}
	}
	adding := map[string]float64{}
	var order []string
	for _, c := range adds {
		if _, seen := adding[c.UnitCode]; !seen {
			order = append(order, c.UnitCode)
		}
		adding[c.UnitCode] += c.Points
	}
	var over []OverCap
	for _, u := range order {
		if recorded[u]+adding[u] > st.CorrectionCap+1e-9 {
			over = append(over, OverCap{Unit: u, Cap: st.CorrectionCap, Recorded: recorded[u], Adding: adding[u]})
		}
	}
	return over, nil
}
