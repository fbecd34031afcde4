package results

import (
	"fmt"
	"time"

	"integritas/analysis"
	"integritas/survey"
)

// Views cannot be differenced (issue 11, spi-method §8). Every state of the
// recorded decisions was a view staff could read (pages, exports, packets).
// Two views of one cell (unit × respondent type) whose respondents differ by
// one to k−1 people would give those people's scores by subtraction, so such
// a cell is hidden in the later view. Views are compared in time order; a
// cell hidden in a view is not published there and is no reference for later
// views. Besides the component, every element and experience-item cell of
// the unit-type is compared: if the respondents that differ between two
// views number 1..k−1 in any of them, the whole unit-type is hidden (its
// component leaves the index, and city figures cover published cells only).
//
// Respondent types and periods need no check: a unit's figures are per type
// (no figure pools a published and a hidden type), and periods hold
// different respondents.

// cellKey is a unit × respondent type.
type cellKey struct{ unit, typ string }

// flaggedResp is a response some decision could leave out.
type flaggedResp struct {
	idx     int // in Input.Responses
	flags   map[string]bool
	cluster string // coached: its cluster's ID
}

// differenced returns the cells (unit → type) to hide in the view of now.
func differenced(in analysis.Input, ds []survey.Decision, flags map[int64][]analysis.Flag) map[string]map[string]bool {
	states := viewStates(ds)
	if len(states) < 2 {
		return nil
	}
	k := in.Settings.MinGroup
	// Responses counted by unit and type slot, candidates (the few flagged
	// ones) collected: a flag set per response and a map entry per cell
	// made this 83 ms of a national period's update (500,000 responses,
	// two decisions), counting so 13 ms.
	counts := map[string]*[4]int{} // unit → responses by typeSlot
	cand := map[cellKey][]flaggedResp{}
	for i := range in.Responses {
		r := &in.Responses[i]
		n := counts[r.Unit]
		if n == nil {
			n = new([4]int)
			counts[r.Unit] = n
		}
		n[typeSlot(r.Type)]++
		fl := flags[r.ID]
		if len(fl) == 0 {
			continue
		}
		fr := newFlagged(i, r, fl)
		if fr.flags[analysis.FlagDuplicate] {
			n[typeSlot(r.Type)]-- // left out in every view alike
			continue
		}
		key := cellKey{r.Unit, r.Type}
		cand[key] = append(cand[key], fr)
	}
	total := map[cellKey]int{}
	for key := range cand {
		total[key] = counts[key.unit][typeSlot(key.typ)]
	}
	views := make([]analysis.Input, len(states))
	for j, st := range states {
		applyDecisions(&views[j], st, time.Time{})
	}
	cells := newCellIndex(in)
	out := map[string]map[string]bool{}
	for key, rs := range cand {
		// out[j][x]: view j leaves out candidate x.
		left := make([][]bool, len(views))
		for j := range views {
			left[j] = make([]bool, len(rs))
			for x, fr := range rs {
				left[j][x] = excludedBy(views[j].Exclusions, key, fr)
			}
		}
		var published []int
		last := len(views) - 1
		for j := range views {
			n := total[key]
			for _, l := range left[j] {
				if l {
					n--
				}
			}
			if n < k || views[j].Withheld[key.unit] != "" {
				continue
			}
			ok := true
			for _, i := range published {
				if cells.tooFew(in, rs, left[i], left[j], k) {
					ok = false
					break
				}
			}
			if ok {
				published = append(published, j)
			} else if j == last {
				if out[key.unit] == nil {
					out[key.unit] = map[string]bool{}
				}
				out[key.unit][key.typ] = true
			}
		}
	}
	return out
}

// typeSlot is a respondent type's place in a unit's counts: 1 + its
// position among analysis.Types(), 0 for any other type (which the engine
// refuses, so its count never makes a figure).
func typeSlot(typ string) int { return analysis.TypeIndex(typ) + 1 }

// newFlagged collects a response's flag codes and coached cluster.
func newFlagged(i int, r *analysis.Response, flags []analysis.Flag) flaggedResp {
	fr := flaggedResp{idx: i, flags: map[string]bool{}}
	for _, f := range flags {
		fr.flags[f.Code] = true
		if f.Code == analysis.FlagCoached {
			// The engine's cluster ID: unit, type and lowest member (Cluster.ID).
			fr.cluster = fmt.Sprintf("%s/%s/%d", r.Unit, r.Type, f.Related)
		}
	}
	return fr
}

// ExcludedBy returns the ID of the decision in force that leaves a flagged
// response out of the figures, or 0 when it counts.
func (p *Period) ExcludedBy(r *analysis.Response, flags []analysis.Flag) int64 {
	fr := newFlagged(0, r, flags)
	for _, ex := range p.Input.Exclusions {
		if excludedBy([]analysis.Exclusion{ex}, cellKey{r.Unit, r.Type}, fr) {
			return ex.ID
		}
	}
	return 0
}

// excludedBy reports whether an exclusion in force leaves the response out.
func excludedBy(exs []analysis.Exclusion, key cellKey, fr flaggedResp) bool {
	for _, ex := range exs {
		if ex.Unit != "" && ex.Unit != key.unit || ex.Type != "" && ex.Type != key.typ {
			continue
		}
		if ex.Kind == analysis.ExcludeFlag && fr.flags[ex.Flag] || ex.Kind == analysis.ExcludeCluster && fr.cluster != "" && ex.Cluster == fr.cluster {
			return true
		}
	}
	return false
}

// cellIndex maps the instrument's items to the cells they feed.
type cellIndex struct {
	elem  map[string]int // element code → position
	items []analysis.Item
}

func newCellIndex(in analysis.Input) *cellIndex {
	c := &cellIndex{elem: map[string]int{}, items: in.Items}
	for i, e := range in.Elements {
		c.elem[e.Code] = i
	}
	return c
}

// tooFew reports whether the respondents two views disagree on number 1..k−1
// in the component or in any element or experience-item cell.
func (c *cellIndex) tooFew(in analysis.Input, rs []flaggedResp, a, b []bool, k int) bool {
	diff := 0
	elems := make([]int, len(c.elem))
	items := make([]int, len(c.items))
	for x, fr := range rs {
		if a[x] == b[x] {
			continue
		}
		diff++
		r := &in.Responses[fr.idx]
		seen := make([]bool, len(c.elem))
		for i, it := range c.items {
			ans := r.Answers[i]
			if it.Kind == analysis.Text || ans == analysis.NoAnswer || ans == analysis.DontKnow || !asks(it, r.Type) {
				continue
			}
			if e, ok := c.elem[it.Element]; ok && !seen[e] {
				seen[e] = true
				elems[e]++
			}
			if it.Kind == analysis.Experience {
				items[i]++
			}
		}
	}
	small := func(n int) bool { return n > 0 && n < k }
	if small(diff) {
		return true
	}
	for _, n := range elems {
		if small(n) {
			return true
		}
	}
	for _, n := range items {
		if small(n) {
			return true
		}
	}
	return false
}

// asks reports whether an item is asked of a respondent type.
func asks(it analysis.Item, typ string) bool {
	if len(it.Types) == 0 {
		return true
	}
	for _, t := range it.Types {
		if t == typ {
			return true
		}
	}
	return false
}
