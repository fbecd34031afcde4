package results

import (
	"cmp"
	"slices"
	"time"

	"integritas/analysis"
	"integritas/survey"
)

// applyDecisions sets the engine's exclusions, reviewed clusters and withheld
// units from the decisions in force at t (zero t: now). Survey-integrity
// corrections entered by a decision are ordinary corrections, read with the
// others; the decision also marks its cluster reviewed.
func applyDecisions(in *analysis.Input, ds []survey.Decision, t time.Time) {
	in.Exclusions, in.Reviewed, in.Withheld = nil, nil, map[string]string{}
	for _, d := range ds {
		if !d.Active(t) {
			continue
		}
		ex := analysis.Exclusion{Unit: d.UnitCode, Type: d.Type, ID: d.ID, By: d.DecidedBy, At: d.DecidedAt, Reason: d.Reason}
		switch d.Action {
		case survey.DecisionExcludeFlag:
			ex.Kind, ex.Flag = analysis.ExcludeFlag, d.Flag
			in.Exclusions = append(in.Exclusions, ex)
		case survey.DecisionExcludeCluster:
			ex.Kind, ex.Cluster = analysis.ExcludeCluster, d.Cluster
			in.Exclusions = append(in.Exclusions, ex)
		case survey.DecisionKeep, survey.DecisionCorrection:
			if d.Cluster != "" {
				in.Reviewed = append(in.Reviewed, d.Cluster)
			}
		case survey.DecisionWithhold:
			in.Withheld[d.UnitCode] = d.Reason
		}
	}
}

// viewStates are the decisions in force in each view staff could read, in
// the order the decisions were made and revoked: the first view has none,
// the last is the view of now. Each decision and each revocation makes a
// view, even two within one second (someone may have read in between).
func viewStates(ds []survey.Decision) [][]survey.Decision {
	type event struct {
		at     time.Time
		id     int64
		revoke bool
	}
	var evs []event
	for _, d := range ds {
		evs = append(evs, event{d.DecidedAt, d.ID, false})
		if !d.RevokedAt.IsZero() {
			evs = append(evs, event{d.RevokedAt, d.ID, true})
		}
	}
	slices.SortStableFunc(evs, func(a, b event) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if a.revoke != b.revoke { // a decision before any revocation stamped the same second
			if a.revoke {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.id, b.id)
	})
	byID := map[int64]survey.Decision{}
	for _, d := range ds {
		d.RevokedAt, d.RevokedBy, d.RevokeReason = time.Time{}, "", ""
		byID[d.ID] = d
	}
	states := [][]survey.Decision{nil}
	active := map[int64]bool{}
	for _, e := range evs {
		active[e.id] = !e.revoke
		var st []survey.Decision
		for _, d := range ds { // oldest first, as applyDecisions expects
			if active[d.ID] {
				st = append(st, byID[d.ID])
			}
		}
		states = append(states, st)
	}
	return states
}
