package analysis

import (
	"bytes"
	"cmp"
	"fmt"
	"hash/maphash"
	"slices"
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
func QualityFlags(in Input) (map[int64][]Flag, error) { return qualityFlags(in, nil) }

// QualityFlags is the package's QualityFlags, reusing the memo's coaching
// searches (and leaving it the ones it makes for the next Compute).
func (mm *Memo) QualityFlags(in Input) (map[int64][]Flag, error) {
	return mm.QualityFlagsAppended(in, 0)
}

// QualityFlagsAppended is QualityFlags for a caller that vouches, as for
// ComputeAppended, that the first kept responses are those of the memo's
// last Compute: their hashes are not recomputed.
func (mm *Memo) QualityFlagsAppended(in Input, kept int) (map[int64][]Flag, error) {
	mm.mu.Lock()
	defer mm.mu.Unlock()
	// No end: the memo's positions stay those whose scores it holds.
	return qualityFlags(in, mm.begin(in, kept))
}

func qualityFlags(in Input, mc *memoCall) (map[int64][]Flag, error) {
	m, err := newModelWith(in, mc)
	if err != nil {
		return nil, err
	}
	q := m.quality(in, nil)
	out := make(map[int64][]Flag, len(q.flags))
	for i, f := range q.flags {
		out[in.Responses[i].ID] = f
	}
	return out, nil
}

// qualityOut holds the flags by response index and the inclusion decision.
// Few responses are flagged or decided on: those are kept by index, so
// that no step walks every response of a national period (500,000) to
// find them.
type qualityOut struct {
	flags    map[int][]Flag // by response index: the flagged ones
	included []bool
	byDecIn  []int // responses included only because of an analyst decision
	byDecOut []int // responses excluded only because of an analyst decision
	clusters []Cluster
	members  map[string][]int // cluster ID → response indices
	median   [numTypes]float64
	applied  []AppliedExclusion // per Input.Exclusions: responses removed over the city
	perUnit  []map[int]int      // per unit: exclusion index → responses removed there
}

// quality flags every response and decides which ones the scores use; it
// runs alongside (when not nil) while the coaching search runs in the background.
func (m *model) quality(in Input, alongside func()) qualityOut {
	rs := in.Responses
	q := qualityOut{flags: map[int][]Flag{}}
	m.cells(rs) // before the coaching search reads them alongside
	done := make(chan struct{})
	var coached map[int][]Flag
	go func() {
		defer close(done)
		q.clusters, q.members, coached = m.coaching(rs)
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
	m.include(in, &q)
	return q
}

// include decides which responses the figures use (spi-method v2 §6): every
// response counts except the later copies of exact duplicates, unless a
// recorded exclusion removes it; a per-response decision overrides both.
// It also records what each exclusion removed and each cluster's decision.
// Only flagged responses, members of a cluster an exclusion names and
// responses decided on can be left out or counted by a decision; the
// others are included without being looked at.
func (m *model) include(in Input, q *qualityOut) {
	rs := in.Responses
	q.included = make([]bool, len(rs))
	for i := range q.included {
		q.included[i] = true
	}
	q.byDecIn, q.byDecOut = nil, nil
	q.applied = make([]AppliedExclusion, len(in.Exclusions))
	q.perUnit = make([]map[int]int, len(m.unitIdx))
	byCluster := map[int]map[int]bool{} // response → exclusions naming its cluster
	for x, ex := range in.Exclusions {
		q.applied[x].Exclusion = ex
		if ex.Kind != ExcludeCluster {
			continue
		}
		for _, i := range q.members[ex.Cluster] {
			if byCluster[i] == nil {
				byCluster[i] = map[int]bool{}
			}
			byCluster[i][x] = true
		}
	}
	decide := func(i int) {
		r := &rs[i]
		def := true
		for _, f := range q.flags[i] {
			if f.Code == FlagDuplicate {
				def = false
			}
		}
		inc := def
		for x, ex := range in.Exclusions {
			if !exclusionMatches(ex, r, q.flags[i], byCluster[i][x]) {
				continue
			}
			inc = false
			q.applied[x].Responses++
			u := m.unitIdx[r.Unit]
			if q.perUnit[u] == nil {
				q.perUnit[u] = map[int]int{}
			}
			q.perUnit[u][x]++
		}
		if d, ok := in.Decisions[r.ID]; ok {
			inc = d
		}
		q.included[i] = inc
		if inc && !def {
			q.byDecIn = append(q.byDecIn, i)
		}
		if !inc && def {
			q.byDecOut = append(q.byDecOut, i)
		}
	}
	// in index order, so that byDecIn and byDecOut come sorted
	cand := make([]int, 0, len(q.flags)+len(byCluster))
	for i := range q.flags {
		cand = append(cand, i)
	}
	for i := range byCluster {
		cand = append(cand, i)
	}
	if len(in.Decisions) > 0 {
		for i := range rs {
			if _, ok := in.Decisions[rs[i].ID]; ok {
				cand = append(cand, i)
			}
		}
	}
	slices.Sort(cand)
	for _, i := range slices.Compact(cand) {
		decide(i)
	}
	reviewed := map[string]bool{}
	for _, id := range in.Reviewed {
		reviewed[id] = true
	}
	for c := range q.clusters {
		cl := &q.clusters[c]
		switch {
		case !cl.Flagged:
		case in.Withheld[cl.Unit] != "":
			cl.Decision = ClusterWithheld
		case m.clusterExcluded(in.Exclusions, cl):
			cl.Decision = ClusterExcluded
		case reviewed[cl.ID]:
			cl.Decision = ClusterReviewed
		}
	}
}

// exclusionMatches reports whether an exclusion removes a response with
// these flags; inCluster says whether the response belongs to the cluster
// the exclusion names.
func exclusionMatches(ex Exclusion, r *Response, flags []Flag, inCluster bool) bool {
	if (ex.Unit != "" && ex.Unit != r.Unit) || (ex.Type != "" && ex.Type != r.Type) {
		return false
	}
	switch ex.Kind {
	case ExcludeCluster:
		return inCluster
	case ExcludeFlag:
		for _, f := range flags {
			if f.Code == ex.Flag {
				return true
			}
		}
	}
	return false
}

// clusterExcluded reports whether some exclusion removes a flagged cluster.
func (m *model) clusterExcluded(exs []Exclusion, cl *Cluster) bool {
	for _, ex := range exs {
		if ex.Unit != "" && ex.Unit != cl.Unit || ex.Type != "" && ex.Type != cl.Type {
			continue
		}
		if ex.Kind == ExcludeCluster && ex.Cluster == cl.ID || ex.Kind == ExcludeFlag && ex.Flag == FlagCoached {
			return true
		}
	}
	return false
}

// checkExclusions reports an exclusion the engine cannot apply.
func (m *model) checkExclusions(exs []Exclusion) error {
	for x, ex := range exs {
		if ex.Unit != "" {
			if _, ok := m.unitIdx[ex.Unit]; !ok {
				return fmt.Errorf("analysis: exclusion %d: unknown unit %q", x+1, ex.Unit)
			}
		}
		if ex.Type != "" && TypeIndex(ex.Type) < 0 {
			return fmt.Errorf("analysis: exclusion %d: unknown respondent type %q", x+1, ex.Type)
		}
		switch ex.Kind {
		case ExcludeFlag:
			switch ex.Flag {
			case FlagSpeeder, FlagStraightLine, FlagCoached, FlagDuplicate:
			default:
				return fmt.Errorf("analysis: exclusion %d: unknown flag %q", x+1, ex.Flag)
			}
		case ExcludeCluster:
			if ex.Cluster == "" {
				return fmt.Errorf("analysis: exclusion %d: no cluster ID", x+1)
			}
		default:
			return fmt.Errorf("analysis: exclusion %d: unknown kind %q", x+1, ex.Kind)
		}
	}
	return nil
}

// selfCompleted reports whether a response was filled in by the respondent
// on the web; paper and imported answers are never speeders (§6).
func selfCompleted(r *Response) bool {
	return r.Channel != "paper" && r.Channel != "import"
}

// straightLiners flags the same raw position on every ordinal item
// answered. The flag depends on the response alone: with a memo, only the
// responses appended since its last call are looked at.
func (m *model) straightLiners(rs []Response, q *qualityOut) {
	from, old := 0, []lined(nil)
	if mc := m.mc; mc != nil {
		from, old = len(mc.mm.lined.h), mc.mm.lined.flags
		if !mc.valid || mc.mm.lined.h == nil || from > len(rs) || !slices.Equal(mc.mm.lined.h, mc.h[:from]) {
			from, old = 0, nil
		}
	}
	found := slices.Clip(old) // appended to: never into the last call's
	for i := from; i < len(rs); i++ {
		if f, ok := m.straightLine(&rs[i]); ok {
			found = append(found, lined{i, f})
		}
	}
	for _, x := range found {
		q.flags[x.i] = append(q.flags[x.i], x.f)
	}
	if m.mc != nil {
		m.mc.mm.lined = linedMemo{h: m.mc.h, flags: found}
	}
}

// lined is a straight-lining response's flag.
type lined struct {
	i int
	f Flag
}

// straightLine returns a response's straight-lining flag, if it has one.
func (m *model) straightLine(r *Response) (Flag, bool) {
	t := TypeIndex(r.Type)
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
	if !same || count < m.s.StraightLineItems {
		return Flag{}, false
	}
	return Flag{
		Code:      FlagStraightLine,
		Evidence:  fmt.Sprintf("answer position %d on all %d ordinal items answered", pos, count),
		Value:     float64(count),
		Threshold: float64(m.s.StraightLineItems),
	}, true
}

// dupKey places a response with a device among the duplicate candidates.
type dupKey struct {
	h    uint64 // hash of device and answers
	hour int64
	i    int
}

// dupOrder sorts candidates by hash, the full values only breaking hash
// ties, so equal vectors from one device end up adjacent in hour order.
func dupOrder(rs []Response) func(a, b dupKey) int {
	return func(a, b dupKey) int {
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
	}
}

// dupKeys returns the sorted candidates of responses from..len(rs).
func dupKeys(rs []Response, from int, seed maphash.Seed) []dupKey {
	var keys []dupKey
	for i := from; i < len(rs); i++ {
		r := &rs[i]
		if r.Device == "" {
			continue
		}
		var h maphash.Hash
		h.SetSeed(seed)
		h.WriteString(r.Device)
		h.WriteByte(0)
		h.Write(r.Answers)
		keys = append(keys, dupKey{h.Sum64(), r.Hour.Unix(), i})
	}
	slices.SortFunc(keys, dupOrder(rs))
	return keys
}

// sortedDupKeys returns every response's sorted candidates. With a memo
// whose last candidates cover responses unchanged since (the same at the
// same positions), only those appended since are sorted and merged in.
func (m *model) sortedDupKeys(rs []Response) []dupKey {
	mc := m.mc
	if mc == nil {
		return dupKeys(rs, 0, maphash.MakeSeed())
	}
	old := mc.mm.dup
	from := len(old.h)
	if !mc.valid || old.h == nil || from > len(rs) || !slices.Equal(old.h, mc.h[:from]) {
		from, old.keys = 0, nil
	}
	keys := dupKeys(rs, from, mc.mm.seed)
	if len(old.keys) > 0 {
		order := dupOrder(rs)
		merged := make([]dupKey, 0, len(old.keys)+len(keys))
		a, b := old.keys, keys
		for len(a) > 0 && len(b) > 0 {
			if order(b[0], a[0]) < 0 {
				merged, b = append(merged, b[0]), b[1:]
			} else {
				merged, a = append(merged, a[0]), a[1:]
			}
		}
		keys = append(append(merged, a...), b...)
	}
	mc.mm.dup = dupMemo{h: mc.h, keys: keys}
	return keys
}

// duplicates flags the same answer vector from the same device within the
// window of an earlier one; the first of a chain is kept unflagged.
func (m *model) duplicates(rs []Response, q *qualityOut) {
	keys := m.sortedDupKeys(rs)
	idx := make([]int, len(keys))
	for j, k := range keys {
		idx[j] = k.i
	}
	window := time.Duration(m.s.DuplicateWindowHours) * time.Hour
	for j := 1; j < len(idx); j++ {
		if keys[j-1].h != keys[j].h {
			continue
		}
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
