package export

import (
	"cmp"
	"slices"
)

// Why rows or cells are left out of an answers export.
const (
	OutMinGroup      = "min_group"     // the group has fewer than k responses
	OutComplementary = "complementary" // left out so a smaller one cannot be derived
)

// Group is a unit × respondent-type group of responses.
type Group struct {
	Unit string // unit code
	Type string
	N    int    // responses stored
	Why  string // OutMinGroup or OutComplementary when left out
}

// hide decides which cells of one table dimension are suppressed: cells
// under k, and then the next-smallest shown cells until the hidden cells are
// at least two and hold at least k together, so that no hidden cell is the
// difference between a published total and the shown cells (the same rule
// as the analysis engine's complementary suppression). Empty cells never
// count. It returns the reason per hidden cell index.
func hide(counts []int, k int) map[int]string {
	out := map[int]string{}
	hidden, sum := 0, 0
	var shown []int
	for i, n := range counts {
		switch {
		case n <= 0:
		case n < k:
			out[i] = OutMinGroup
			hidden++
			sum += n
		default:
			shown = append(shown, i)
		}
	}
	if hidden == 0 {
		return out
	}
	slices.SortStableFunc(shown, func(a, b int) int { return cmp.Compare(counts[a], counts[b]) })
	for _, i := range shown {
		if hidden >= 2 && sum >= k {
			break
		}
		out[i] = OutComplementary
		hidden++
		sum += counts[i]
	}
	return out
}

// planGroups returns the groups left out, per type across the units (the
// city's figures are the total each type's cells add up to).
func planGroups(counts map[string]map[string]int, units []string, types []string, k int) map[[2]string]string {
	out := map[[2]string]string{}
	for _, t := range types {
		cells := make([]int, len(units))
		for i, u := range units {
			cells[i] = counts[u][t]
		}
		for i, why := range hide(cells, k) {
			out[[2]string{units[i], t}] = why
		}
	}
	return out
}
