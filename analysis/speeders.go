package analysis

import (
	"cmp"
	"fmt"
	"slices"
)

// speeders flags durations under SpeederFraction of the median of the same
// type, among self-completed web responses only. With a memo, the
// durations are kept sorted with their responses, so the speeders are the
// first of each type and the others are not looked at.
func (m *model) speeders(rs []Response, q *qualityOut) {
	var byType [numTypes][]timed
	if m.mc == nil {
		d := durations(rs)
		parallel(numTypes, func(_, t int) { q.median[t] = medianInPlace(d[t]) })
	} else {
		byType = m.mc.sortedDurations(rs)
		for t := range numTypes {
			q.median[t] = sortedMedian(byType[t])
		}
	}
	// durations are whole seconds: one evidence per type and duration
	evidence := map[[2]float64]Flag{}
	flag := func(i, t int, d float64) {
		cut := q.median[t] * m.s.SpeederFraction
		f, ok := evidence[[2]float64{float64(t), d}]
		if !ok {
			f = Flag{
				Code:      FlagSpeeder,
				Evidence:  fmt.Sprintf("completed in %.0f s, under %.3g of the %s median %.0f s", d, m.s.SpeederFraction, Types()[t], q.median[t]),
				Value:     d,
				Threshold: cut,
			}
			evidence[[2]float64{float64(t), d}] = f
		}
		q.flags[i] = append(q.flags[i], f)
	}
	if m.mc != nil {
		for t := range numTypes {
			cut := q.median[t] * m.s.SpeederFraction
			for _, x := range byType[t] {
				if x.d >= cut {
					break
				}
				flag(x.i, t, x.d) // durations lists only positive, self-completed ones
			}
		}
		return
	}
	for i := range rs {
		r := &rs[i]
		t := TypeIndex(r.Type)
		cut := q.median[t] * m.s.SpeederFraction
		if r.Duration > 0 && r.Duration < cut && selfCompleted(r) {
			flag(i, t, r.Duration)
		}
	}
}

// durations collects the durations the speeder check compares, by type.
func durations(rs []Response) [numTypes][]float64 {
	var n [numTypes]int
	for i := range rs {
		if r := &rs[i]; r.Duration > 0 && selfCompleted(r) {
			n[TypeIndex(r.Type)]++
		}
	}
	var d [numTypes][]float64
	for t := range numTypes {
		d[t] = make([]float64, 0, n[t])
	}
	for i := range rs {
		if r := &rs[i]; r.Duration > 0 && selfCompleted(r) {
			t := TypeIndex(r.Type)
			d[t] = append(d[t], r.Duration)
		}
	}
	return d
}

// timed is a duration the speeder check compares, with its response.
type timed struct {
	d float64
	i int
}

// sortedDurations returns the durations of durations(rs) with their
// responses, sorted by duration then position. With a memo whose last ones
// cover responses unchanged since, only the durations appended since are
// sorted and merged into them (in place: only the memo holds them).
func (mc *memoCall) sortedDurations(rs []Response) [numTypes][]timed {
	old := mc.mm.speed
	from := len(old.h)
	if !mc.valid || old.h == nil || from > len(rs) || !slices.Equal(old.h, mc.h[:from]) {
		from, old.d = 0, [numTypes][]timed{}
	}
	var d [numTypes][]timed
	for i := from; i < len(rs); i++ {
		if r := &rs[i]; r.Duration > 0 && selfCompleted(r) {
			t := TypeIndex(r.Type)
			d[t] = append(d[t], timed{r.Duration, i})
		}
	}
	order := func(a, b timed) int {
		if c := cmp.Compare(a.d, b.d); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	}
	parallel(numTypes, func(_, t int) {
		slices.SortFunc(d[t], order)
		if len(old.d[t]) == 0 {
			return
		}
		a, b := old.d[t], d[t]
		out := slices.Grow(a, len(b))[:len(a)+len(b)]
		// merge from the back, so the old values move only once
		for i, j, k := len(a)-1, len(b)-1, len(out)-1; j >= 0; k-- {
			if i >= 0 && order(a[i], b[j]) > 0 {
				out[k] = a[i]
				i--
			} else {
				out[k] = b[j]
				j--
			}
		}
		d[t] = out
	})
	mc.mm.speed = speedMemo{h: mc.h, d: d}
	return d
}

// sortedMedian is the median of sorted durations (median's formula).
func sortedMedian(s []timed) float64 {
	n := len(s)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return s[n/2].d
	}
	return (s[n/2-1].d + s[n/2].d) / 2
}
