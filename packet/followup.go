package packet

import (
	"integritas/results"
	"integritas/survey"
)

// Proposal is a follow_up correction item the inspectorate may add: a unit
// whose risk elements of the previous period have no action plan, or one
// that was not carried out. It is a proposal; nothing applies it.
type Proposal struct {
	Unit     string
	Name     string
	Missing  []string // elements with no plan
	NotDone  []string // elements whose plan was not carried out
	Previous string   // the previous period's code
}

// FollowUpProposals compares the previous period's risk elements with the
// action plans recorded for them.
func FollowUpProposals(prev *results.Period, plans []survey.ActionPlan) []Proposal {
	if prev == nil {
		return nil
	}
	byUnit := map[string]map[string]survey.ActionPlan{}
	for _, a := range plans {
		if byUnit[a.UnitCode] == nil {
			byUnit[a.UnitCode] = map[string]survey.ActionPlan{}
		}
		byUnit[a.UnitCode][a.Element] = a
	}
	var out []Proposal
	for _, u := range prev.Results.Units {
		p := Proposal{Unit: u.Code, Name: u.Name, Previous: prev.Period.Code}
		for _, re := range u.RiskElements {
			a, ok := byUnit[u.Code][re.Element]
			switch {
			case !ok || a.Action == "":
				p.Missing = append(p.Missing, re.Element)
			case a.Status == "not_done":
				p.NotDone = append(p.NotDone, re.Element)
			}
		}
		if len(p.Missing)+len(p.NotDone) > 0 {
			out = append(out, p)
		}
	}
	return out
}
