package analysis

// complement applies complementary suppression to the children of a shown
// total: while some child with respondents is hidden but fewer than two such
// children, or fewer than k respondents together, are hidden, the smallest
// shown child is hidden too, so no hidden child can be recovered by
// subtracting the shown ones from the total. n holds each child's
// respondents, shown whether it is published; it returns the children to hide.
func complement(n []int, shown []bool, k int) []int {
	hidden, hiddenN := 0, 0
	for i := range n {
		if !shown[i] && n[i] > 0 {
			hidden++
			hiddenN += n[i]
		}
	}
	if hidden == 0 {
		return nil
	}
	vis := make([]bool, len(shown))
	copy(vis, shown)
	var out []int
	for hidden < 2 || hiddenN < k {
		best := -1
		for i := range n {
			if vis[i] && (best < 0 || n[i] < n[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		vis[best] = false
		out = append(out, best)
		hidden++
		hiddenN += n[best]
	}
	return out
}
