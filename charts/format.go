package charts

import (
	"math"
	"strconv"
	"strings"
)

// Format says how numbers are written: Indonesian charts use
// Format{Decimal: ',', Group: '.'} and show 74,21 and 1.234.
type Format struct {
	Decimal rune // decimal separator; '.' when zero
	Group   rune // thousands separator of counts; none when zero
}

// fixed writes v with the given number of decimals.
func (f Format) fixed(v float64, digits int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if s == "-0" || strings.HasPrefix(s, "-0.") && strings.Trim(s[3:], "0") == "" {
		s = s[1:] // a score rounding to zero is not negative
	}
	if f.Decimal != 0 && f.Decimal != '.' {
		s = strings.Replace(s, ".", string(f.Decimal), 1)
	}
	return strings.Replace(s, "-", "−", 1)
}

// score writes an index or score with two decimals, as the result tables do.
func (f Format) score(v float64) string { return f.fixed(v, 2) }

// count writes a whole number with the thousands separator.
func (f Format) count(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if f.Group != 0 && len(s) > 3 {
		var b strings.Builder
		for i, r := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteRune(f.Group)
			}
			b.WriteRune(r)
		}
		s = b.String()
	}
	if neg {
		return "−" + s
	}
	return s
}

// percent writes a share 0–1 as a whole percentage.
func (f Format) percent(share float64) string {
	return f.fixed(100*share, 0) + "%"
}

// tick writes an axis tick value with just the decimals its step needs.
func (f Format) tick(v, step float64) string {
	digits := 0
	for d := step; digits < 4 && math.Abs(d-math.Round(d)) > 1e-9; d *= 10 {
		digits++
	}
	return f.fixed(v, digits)
}
