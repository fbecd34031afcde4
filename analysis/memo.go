package analysis

import (
	"encoding/json"
	"hash/maphash"
	"math"
	"slices"
	"sync"
)

// Memo keeps the per-cell work of one period's last computation so that the
// next, after a few responses arrived, redoes only the unit×type cells whose
// content changed: respondent scores, the coaching search, the cell tallies.
// Everything is keyed by content (a hash of each response, and of the
// instrument, settings and units), never by who calls, so a Memo's results
// are exactly Compute's for any input; an input unlike the last one just
// finds nothing to reuse. Safe for concurrent use; calls run one at a time.
type Memo struct {
	mu   sync.Mutex
	seed maphash.Seed
	ctx  uint64   // hash of the instrument, settings and units of the last call
	h    []uint64 // per response position of the last call: its content hash
	// comp and elem are the respondent scores by position of the last
	// call, reused in place where a position holds the same response.
	comp, elem []float64
	coach      map[int]coachMemo  // by cell
	tally      map[int]tallyMemo  // by cell
	est        []estMemo          // by cell
	strata     map[int]strataFigs // by unit, under its internal cell's tally key
	strataMu   sync.Mutex         // strata is filled by parallel workers
	dup        dupMemo
	members    membersMemo
	speed      speedMemo
	lined      linedMemo
	rel        map[int]relMemo // by cell×element, under the cell's tally key
	relMu      sync.Mutex      // rel is filled by parallel workers
	units      []unitMemo      // by unit, written by parallel workers at their own index
	comps      []compMemo      // by cell, likewise
	scored     *scored         // the last call's tallies, which the next updates in place
	tallied    tallied         // what the last call tallied
	// coachRows are the cells' rows for the coaching search, of the
	// members the cell had when it last changed, by cell (coachCells).
	coachRows []coachCell
}

// tallied is the cell members and the inclusion of a call's tallies;
// neither is changed after the call.
type tallied struct {
	members  [][]int
	included []bool
}

// unitMemo is the part of a unit's results its own cells make (unitCells),
// under unitKey. Results are read-only once computed, so successive
// results share these values.
type unitMemo struct {
	key    uint64
	ur     UnitResult
	scores map[string][]float64
}

// linedMemo is the straight-lining flags, by position, of a call whose
// response hashes were h.
type linedMemo struct {
	h     []uint64
	flags []lined
}

// speedMemo is the sorted speeder-check durations by type, with their
// responses, of a call whose response hashes were h.
type speedMemo struct {
	h []uint64
	d [numTypes][]timed
}

// relMemo is a unit cell's element reliability.
type relMemo struct {
	key uint64
	rel *Reliability
	why string
}

// membersMemo is the cell members of a call whose response hashes were h.
type membersMemo struct {
	h     []uint64
	cells [][]int
}

// dupMemo is the sorted duplicate candidates of a call whose response
// hashes were h (a call's hashes are never changed after it).
type dupMemo struct {
	h    []uint64
	keys []dupKey
}

// estMemo is a cell's estimates, before any suppression for withheld,
// parent or differencing, under the key of its tally (tallyKey): they
// depend on nothing else but the context.
type estMemo struct {
	set  bool
	key  uint64
	comp figure
	elem []figure // by element
}

// coachMemo is a cell's coaching search under a content key.
type coachMemo struct {
	key      uint64
	clusters []Cluster
	members  [][]int64 // response IDs of each cluster
}

// tallyMemo is a cell's tally under a key of its members' positions,
// contents and inclusion (tallyKey).
type tallyMemo struct {
	key uint64
	n   int     // members
	sc  *scored // the call's tallies; only this cell's slots are read
}

// NewMemo returns an empty memo.
func NewMemo() *Memo {
	return &Memo{seed: maphash.MakeSeed(), coach: map[int]coachMemo{}, tally: map[int]tallyMemo{},
		strata: map[int]strataFigs{}, rel: map[int]relMemo{}}
}

// Compute is the package's Compute, reusing the memo's earlier work.
func (mm *Memo) Compute(in Input) (*Results, error) {
	return mm.ComputeAppended(in, 0)
}

// ComputeAppended is Compute for a caller that vouches that the first kept
// responses are those of the memo's last Compute, unchanged at the same
// positions (responses were appended since): their hashes are not
// recomputed. A kept beyond the last call's responses counts as its count.
func (mm *Memo) ComputeAppended(in Input, kept int) (*Results, error) {
	mm.mu.Lock()
	defer mm.mu.Unlock()
	return compute(in, mm, kept)
}

// memoCall is a Memo during one computation.
type memoCall struct {
	mm    *Memo
	h     []uint64 // content hash of each response
	valid bool     // the instrument, settings and units are the last call's
	// coachKeys are the cells' content keys for the coaching search,
	// tallyKeys those of their tallies.
	coachKeys, tallyKeys []uint64
	// kept is the number of leading positions whose hashes were taken
	// from the last call: they hold the same responses (same is true).
	kept int
}

// begin hashes the input's context and responses for one computation,
// taking the hashes of the first kept responses from the last Compute.
func (mm *Memo) begin(in Input, kept int) *memoCall {
	ctx := mm.contextHash(in)
	mc := &memoCall{mm: mm, valid: ctx == mm.ctx}
	if !mc.valid {
		mm.ctx, mm.h, mm.comp, mm.elem = ctx, nil, nil, nil
		clear(mm.coach)
		clear(mm.tally)
		mm.est = nil
		clear(mm.strata)
		mm.dup = dupMemo{}
		mm.members = membersMemo{}
		mm.speed = speedMemo{}
		mm.lined = linedMemo{}
		clear(mm.rel)
		mm.units, mm.comps = nil, nil
		mm.scored, mm.tallied = nil, tallied{}
		mm.coachRows = nil
	}
	kept = min(max(kept, 0), len(mm.h))
	total := len(in.Responses)
	fresh := make([]uint64, total-kept) // the hashes of the positions from kept on
	chunks := (len(fresh) + scoreChunk - 1) / scoreChunk
	parallel(chunks, func(_, ch int) {
		for j := ch * scoreChunk; j < min(len(fresh), (ch+1)*scoreChunk); j++ {
			fresh[j] = mm.responseHash(&in.Responses[kept+j])
		}
	})
	// A recorded call's hashes (the memo's parts keep them) may share
	// mm.h's array past its end: a QualityFlags call extends it without
	// ending. Writing there is safe only where it writes what is there.
	recorded := max(len(mm.members.h), len(mm.dup.h), len(mm.speed.h), len(mm.lined.h))
	over := min(max(recorded-kept, 0), len(fresh))
	if kept == len(mm.h) && kept > 0 && cap(mm.h) >= total && slices.Equal(mm.h[kept:kept+over], fresh[:over]) {
		// Only responses were appended: the hashes are extended in
		// place (copying 500,000 cost ~4 ms per update).
		mc.h = mm.h[:total]
	} else {
		mc.h = make([]uint64, total, total+total/16+1024) // headroom for appends, as results.responses leaves
		copy(mc.h, mm.h[:kept])
	}
	copy(mc.h[kept:], fresh)
	mc.kept = kept
	return mc
}

// responseHash hashes everything of a response the figures read.
func (mm *Memo) responseHash(r *Response) uint64 {
	k := mix(uint64(r.ID), uint64(r.Hour.UnixNano()))
	k = mix(k, math.Float64bits(r.Duration))
	for _, s := range [...]string{r.Unit, r.Type, r.Channel, r.Device, r.Stratum} {
		k = mix(k, maphash.String(mm.seed, s))
	}
	if r.Incomplete {
		k = mix(k, 1)
	}
	return mix(k, maphash.Bytes(mm.seed, r.Answers))
}

// contextHash hashes what every memoised value depends on besides the
// responses: the instrument, the settings and the units in their order.
func (mm *Memo) contextHash(in Input) uint64 {
	b, _ := json.Marshal(struct {
		S  Settings
		E  []Element
		I  []Item
		U  []Unit
		St map[string]map[string]int
	}{in.Settings, in.Elements, in.Items, in.Units, in.Strata})
	return maphash.Bytes(mm.seed, b)
}

// unchanged is the number of leading positions that hold the responses
// they held last call, known without comparing (0 without a memo).
func (mc *memoCall) unchanged() int {
	if mc == nil || !mc.valid {
		return 0
	}
	return mc.kept
}

// same reports whether position i holds the response it held last call.
func (mc *memoCall) same(i int) bool {
	return mc != nil && mc.valid && i < len(mc.mm.h) && mc.mm.h[i] == mc.h[i]
}

// end records the call's response hashes for the next.
func (mc *memoCall) end() {
	if mc != nil {
		mc.mm.h = mc.h
	}
}

// mix folds v into a running hash.
func mix(k, v uint64) uint64 {
	k ^= v + 0x9e3779b97f4a7c15 + k<<6 + k>>2
	return k * 0xbf58476d1ce4e5b9
}

// estimates returns cell c's memoised estimates when its tally is unchanged.
func (mc *memoCall) estimates(c int) (*estMemo, bool) {
	if mc == nil || !mc.valid || mc.tallyKeys == nil || c >= len(mc.mm.est) {
		return nil, false
	}
	e := &mc.mm.est[c]
	return e, e.set && e.key == mc.tallyKeys[c]
}

// rememberEstimates memoises every cell's estimates under its tally key.
func (r *run) rememberEstimates() {
	mc := r.m.mc
	if mc == nil || mc.tallyKeys == nil {
		return
	}
	if len(mc.mm.est) != len(mc.tallyKeys) {
		mc.mm.est = make([]estMemo, len(mc.tallyKeys))
	}
	for c, k := range mc.tallyKeys {
		mc.mm.est[c] = estMemo{set: true, key: k, comp: r.rawComp[c], elem: r.rawElem[c*r.ne : (c+1)*r.ne : (c+1)*r.ne]}
	}
}

// strataRecall returns unit u's memoised stratum estimates when its
// internal cell's tally is unchanged.
func (mc *memoCall) strataRecall(u int) (strataFigs, bool) {
	if mc == nil || !mc.valid || mc.tallyKeys == nil {
		return strataFigs{}, false
	}
	mc.mm.strataMu.Lock()
	st, ok := mc.mm.strata[u]
	mc.mm.strataMu.Unlock()
	return st, ok && st.key == mc.tallyKeys[cell(u, 0)]
}

// strataStore memoises unit u's stratum estimates; units are assembled
// in parallel, hence the lock.
func (mc *memoCall) strataStore(u int, st strataFigs) {
	if mc == nil || mc.tallyKeys == nil {
		return
	}
	st.key = mc.tallyKeys[cell(u, 0)]
	mc.mm.strataMu.Lock()
	mc.mm.strata[u] = st
	mc.mm.strataMu.Unlock()
}

// unitKey is the key of unit u's own figures (unitCells): the tally keys
// of its cells, whether it is withheld, which of its cells are hidden as
// differenced, and its corrections; everything else they read is the
// context's.
func (mc *memoCall) unitKey(r *run, u int) uint64 {
	unit := &r.in.Units[u]
	k := uint64(0x0417)
	for t, name := range Types() {
		k = mix(k, mc.tallyKeys[cell(u, t)])
		if r.in.Hidden[unit.Code][name] {
			k = mix(k, uint64(t)+1)
		}
	}
	if r.withheld[u] {
		k = mix(k, 0x3d)
	}
	for _, c := range r.in.Corrections[unit.Code] {
		k = mix(k, math.Float64bits(c.Points))
		for _, s := range [...]string{c.Kind, c.Reason, c.Evidence} {
			k = mix(k, maphash.String(mc.mm.seed, s))
		}
	}
	return k
}

// unitRecall returns unit u's memoised own figures when its key is unchanged.
func (mc *memoCall) unitRecall(r *run, u int) (UnitResult, map[string][]float64, bool) {
	if mc == nil || !mc.valid || mc.tallyKeys == nil || len(mc.mm.units) != r.nu {
		return UnitResult{}, nil, false
	}
	old := &mc.mm.units[u]
	if old.ur.Components == nil || old.key != mc.unitKey(r, u) {
		return UnitResult{}, nil, false
	}
	return old.ur, old.scores, true
}

// unitStore memoises unit u's own figures; units are assembled in
// parallel, each writing its own index of a slice sized before.
func (mc *memoCall) unitStore(r *run, u int, ur UnitResult, scores map[string][]float64) {
	if mc == nil || mc.tallyKeys == nil || len(mc.mm.units) != r.nu {
		return
	}
	mc.mm.units[u] = unitMemo{key: mc.unitKey(r, u), ur: ur, scores: scores}
}

// prepareUnits sizes the unit and component memos for nu units before
// they are assembled.
func (mc *memoCall) prepareUnits(nu int) {
	if mc != nil && len(mc.mm.units) != nu {
		mc.mm.units = make([]unitMemo, nu)
	}
	if mc != nil && len(mc.mm.comps) != nu*numTypes {
		mc.mm.comps = make([]compMemo, nu*numTypes)
	}
}

// compMemo is a unit cell's published component, before index gives it
// its weight in the unit's index, under componentKey. In a changed unit
// most cells are unchanged (an update brings a unit one type's batch).
type compMemo struct {
	key  uint64
	set  bool
	comp Component
}

// componentKey is the key of unit u's component of type t: its cell's
// tally key and whether the unit is withheld or the cell hidden; the
// estimates, reliability and strata follow from the tally, their
// suppression from these (and the context).
func (mc *memoCall) componentKey(r *run, u, t int) uint64 {
	k := mix(0xc0, mc.tallyKeys[cell(u, t)])
	if r.withheld[u] {
		k = mix(k, 1)
	}
	if r.in.Hidden[r.in.Units[u].Code][Types()[t]] {
		k = mix(k, 2)
	}
	return k
}

// componentRecall returns a copy of unit u's memoised component of type t
// when its key is unchanged.
func (mc *memoCall) componentRecall(r *run, u, t int) (Component, bool) {
	if mc == nil || !mc.valid || mc.tallyKeys == nil || len(mc.mm.comps) != r.nu*numTypes {
		return Component{}, false
	}
	old := &mc.mm.comps[cell(u, t)]
	if !old.set || old.key != mc.componentKey(r, u, t) {
		return Component{}, false
	}
	return old.comp, true
}

// componentStore memoises unit u's component of type t.
func (mc *memoCall) componentStore(r *run, u, t int, comp Component) {
	if mc == nil || mc.tallyKeys == nil || len(mc.mm.comps) != r.nu*numTypes {
		return
	}
	mc.mm.comps[cell(u, t)] = compMemo{key: mc.componentKey(r, u, t), set: true, comp: comp}
}
