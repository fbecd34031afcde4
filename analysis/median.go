package analysis

import "slices"

// median is the middle value (mean of the two middle ones), 0 for no values.
// It selects rather than sorts (the k-th smallest value is one number
// however it is found): a national period has 170,000 durations per type.
func median(x []float64) float64 { return medianInPlace(slices.Clone(x)) }

// medianInPlace is median, reordering s.
func medianInPlace(s []float64) float64 {
	if len(s) == 0 {
		return 0
	}
	n := len(s)
	hi := selectKth(s, n/2)
	if n%2 == 1 {
		return hi
	}
	return (slices.Max(s[:n/2]) + hi) / 2
}

// selectKth reorders s so that s[k] is its k-th smallest value, with no
// larger value before it and no smaller one after, and returns s[k].
func selectKth(s []float64, k int) float64 {
	lo, hi := 0, len(s)-1
	for lo < hi {
		// median of three as the pivot, then a three-way partition, so
		// runs of equal durations do not degrade it
		a, b, c := s[lo], s[(lo+hi)/2], s[hi]
		p := max(min(a, b), min(max(a, b), c))
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch {
			case s[i] < p:
				s[lt], s[i] = s[i], s[lt]
				lt++
				i++
			case s[i] > p:
				s[i], s[gt] = s[gt], s[i]
				gt--
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return s[k]
		}
	}
	return s[k]
}
