package analysis

import (
	"bytes"
	"cmp"
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"time"
)

// Flag is a data-quality flag on a response, with its evidence.
type Flag struct {
	Code      string  `json:"code"`
	Evidence  string  `json:"evidence"`
	Value     float64 `json:"value"`             // speeder: seconds; straight_line: items; coached: cluster size
	Threshold float64 `json:"threshold"`         // speeder: cutoff seconds; straight_line: minimum items; coached: permutation baseline
	Related   int64   `json:"related,omitempty"` // duplicate: the earlier response; coached: the cluster's lowest response ID
}

// Flag codes.
const (
	FlagSpeeder      = "speeder"
	FlagStraightLine = "straight_line"
	FlagDuplicate    = "duplicate"
	FlagCoached      = "coached"
)

// QualityFlags returns the data-quality flags (spi-method §6) of every flagged
// response by response ID, so the dashboard can list them with their evidence.
func QualityFlags(in Input) (map[int64][]Flag, error) {
	m, err := newModel(in)
	if err != nil {
		return nil, err
	}
	q := m.quality(in, nil)
	out := map[int64][]Flag{}
	for i, f := range q.flags {
		if len(f) > 0 {
			out[in.Responses[i].ID] = f
		}
	}
	return out, nil
}

// qualityOut holds the flags by response index and the inclusion decision.
type qualityOut struct {
	flags    [][]Flag
	included []bool
	byDecIn  []bool // included only because of an analyst decision
	byDecOut []bool // excluded only because of an analyst decision
	clusters []Cluster
	median   [numTypes]float64
}

// quality flags every response and decides which ones the scores use; it
// runs alongside (when not nil) while the coaching search runs in the background.
func (m *model) quality(in Input, alongside func()) qualityOut {
	rs := in.Responses
	q := qualityOut{flags: make([][]Flag, len(rs))}
	done := make(chan struct{})
	var coached [][]Flag
	go func() {
		defer close(done)
		q.clusters, coached = m.coaching(rs)
	}()
	m.speeders(rs, &q)
	m.straightLiners(rs, &q)
	m.duplicates(rs, &q)
	if alongside != nil {
		alongside()
	}
	<-done
	for i, f := range coached {
		q.flags[i] = append(q.flags[i], f...)
	}
	q.included = make([]bool, len(rs))
	q.byDecIn = make([]bool, len(rs))
	q.byDecOut = make([]bool, len(rs))
	for i, r := range rs {
		def := len(q.flags[i]) == 0 || m.s.IncludeFlagged
		inc := def
		if d, ok := in.Decisions[r.ID]; ok {
			inc = d
		}
		q.included[i] = inc
		q.byDecIn[i] = inc && !def
		q.byDecOut[i] = !inc && def
	}
	return q
}

// speeders flags durations under SpeederFraction of the median of the same type.
func (m *model) speeders(rs []Response, q *qualityOut) {
	var d [numTypes][]float64
	for _, r := range rs {
		if r.Duration > 0 {
			t := typeIndex(r.Type)
			d[t] = append(d[t], r.Duration)
		}
	}
	for t := range numTypes {
		q.median[t] = median(d[t])
	}
	for i, r := range rs {
		t := typeIndex(r.Type)
		cut := q.median[t] * m.s.SpeederFraction
		if r.Duration > 0 && r.Duration < cut {
			q.flags[i] = append(q.flags[i], Flag{
				Code:      FlagSpeeder,
				Evidence:  fmt.Sprintf("completed in %.0f s, under %.3g of the %s median %.0f s", r.Duration, m.s.SpeederFraction, r.Type, q.median[t]),
				Value:     r.Duration,
				Threshold: cut,
			})
		}
	}
}

// median is the middle value (mean of the two middle ones), 0 for no values.
func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := slices.Clone(x)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// straightLiners flags the same raw position on every ordinal item answered.
func (m *model) straightLiners(rs []Response, q *qualityOut) {
	for i, r := range rs {
		t := typeIndex(r.Type)
		var pos byte
		count, same := 0, true
		for _, it := range m.ordinal {
			a := r.Answers[it]
			if !m.items[it].types[t] || a == NoAnswer || a == DontKnow {
				continue
			}
			if count == 0 {
				pos = a
			} else if a != pos {
				same = false
				break
			}
			count++
		}
		if same && count >= m.s.StraightLineItems {
			q.flags[i] = append(q.flags[i], Flag{
				Code:      FlagStraightLine,
				Evidence:  fmt.Sprintf("answer position %d on all %d ordinal items answered", pos, count),
				Value:     float64(count),
				Threshold: float64(m.s.StraightLineItems),
			})
		}
	}
}

// duplicates flags the same answer vector from the same device within the
// window of an earlier one; the first of a chain is kept unflagged.
func (m *model) duplicates(rs []Response, q *qualityOut) {
	// sort by a hash of device and answers, the full values only breaking
	// hash ties, so equal vectors from one device end up adjacent in hour order
	type key struct {
		h    uint64
		hour int64
		i    int
	}
	seed := maphash.MakeSeed()
	var keys []key
	for i := range rs {
		r := &rs[i]
		if r.Device == "" {
			continue
		}
		var h maphash.Hash
		h.SetSeed(seed)
		h.WriteString(r.Device)
		h.WriteByte(0)
		h.Write(r.Answers)
		keys = append(keys, key{h.Sum64(), r.Hour.Unix(), i})
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.h != b.h {
			return cmp.Compare(a.h, b.h)
		}
		ra, rb := &rs[a.i], &rs[b.i]
		if c := cmp.Compare(ra.Device, rb.Device); c != 0 {
			return c
		}
		if c := bytes.Compare(ra.Answers, rb.Answers); c != 0 {
			return c
		}
		if a.hour != b.hour {
			return cmp.Compare(a.hour, b.hour)
		}
		return cmp.Compare(ra.ID, rb.ID)
	})
	idx := make([]int, len(keys))
	for j, k := range keys {
		idx[j] = k.i
	}
	window := time.Duration(m.s.DuplicateWindowHours) * time.Hour
	for j := 1; j < len(idx); j++ {
		prev, cur := &rs[idx[j-1]], &rs[idx[j]]
		if prev.Device != cur.Device || !bytes.Equal(prev.Answers, cur.Answers) {
			continue
		}
		if cur.Hour.Sub(prev.Hour) > window {
			continue
		}
		q.flags[idx[j]] = append(q.flags[idx[j]], Flag{
			Code:      FlagDuplicate,
			Evidence:  fmt.Sprintf("same answers from the same device as response %d within %d h", prev.ID, m.s.DuplicateWindowHours),
			Value:     cur.Hour.Sub(prev.Hour).Hours(),
			Threshold: float64(m.s.DuplicateWindowHours),
			Related:   prev.ID,
		})
	}
}
