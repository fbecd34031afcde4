package analysis

import (
	"errors"
	"fmt"
	"math"
)

// itemInfo is an item resolved against the instrument.
type itemInfo struct {
	code    string
	elem    int
	kind    ItemKind
	points  int
	reverse bool
	types   [numTypes]bool
	sub     int // index among the experience (or text) items
}

// model is the validated instrument and settings of a period.
type model struct {
	s        Settings
	k        int
	elems    []string
	elemW    []float64
	items    []itemInfo
	exp      []int // experience item indices
	text     []int // text item indices
	ordinal  []int // ordinal item indices
	unitIdx  map[string]int
	typeW    [numTypes]float64 // resolved weights, not yet renormalised
	asked    [numTypes]bool    // types some scored item targets
	elemTyp  [][numTypes][]int // per element and type: its scored items
	strataOf []map[string]int  // per unit: post-stratification counts
	tq       *tCache
	mc       *memoCall // the memo of this computation, nil without one
	members  [][]int   // per unit×type: response indices in ID order (members)
	// extendedFrom is, when the memo's last members hold at the same
	// positions in every cell and only responses from this position on
	// joined them (memoMembers), that position; −1 otherwise.
	extendedFrom int
}

// newModel validates the input's instrument, units and settings.
func newModel(in Input) (*model, error) { return newModelWith(in, nil) }

// newModelWith is newModel with a memo, which skips checking the responses
// a valid memo saw at the same positions.
func newModelWith(in Input, mc *memoCall) (*model, error) {
	if err := in.Settings.Validate(); err != nil {
		return nil, err
	}
	m := &model{s: in.Settings, k: in.Settings.MinGroup, unitIdx: map[string]int{}, tq: &tCache{}, mc: mc, extendedFrom: -1}
	m.s.Method = MethodVersion
	elemIdx := map[string]int{}
	for _, e := range in.Elements {
		if e.Code == "" {
			return nil, errors.New("analysis: element with empty code")
		}
		if _, dup := elemIdx[e.Code]; dup {
			return nil, fmt.Errorf("analysis: element %q: duplicate", e.Code)
		}
		w := e.Weight
		if w == 0 {
			w = 1
		}
		if ow, ok := in.Settings.ElementWeights[e.Code]; ok {
			w = ow
		}
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("analysis: element %q: weight %v", e.Code, w)
		}
		elemIdx[e.Code] = len(m.elems)
		m.elems = append(m.elems, e.Code)
		m.elemW = append(m.elemW, w)
	}
	for code := range in.Settings.ElementWeights {
		if _, ok := elemIdx[code]; !ok {
			return nil, fmt.Errorf("analysis: settings: element_weights: unknown element %q", code)
		}
	}
	m.elemTyp = make([][numTypes][]int, len(m.elems))
	seen := map[string]bool{}
	for i, it := range in.Items {
		if it.Code == "" || seen[it.Code] {
			return nil, fmt.Errorf("analysis: item %d %q: empty or duplicate code", i+1, it.Code)
		}
		seen[it.Code] = true
		e, ok := elemIdx[it.Element]
		if !ok {
			return nil, fmt.Errorf("analysis: item %q: unknown element %q", it.Code, it.Element)
		}
		info := itemInfo{code: it.Code, elem: e, kind: it.Kind, points: it.Points, reverse: it.Reverse}
		if len(it.Types) == 0 {
			info.types = [numTypes]bool{true, true, true}
		}
		for _, t := range it.Types {
			ti := TypeIndex(t)
			if ti < 0 {
				return nil, fmt.Errorf("analysis: item %q: unknown respondent type %q", it.Code, t)
			}
			info.types[ti] = true
		}
		switch it.Kind {
		case Ordinal:
			if it.Points < 2 || it.Points > 254 {
				return nil, fmt.Errorf("analysis: item %q: ordinal scale needs 2–254 points, got %d", it.Code, it.Points)
			}
			m.ordinal = append(m.ordinal, i)
		case Experience:
			info.sub = len(m.exp)
			m.exp = append(m.exp, i)
		case Text:
			info.sub = len(m.text)
			m.text = append(m.text, i)
		default:
			return nil, fmt.Errorf("analysis: item %q: unknown kind %d", it.Code, it.Kind)
		}
		if it.Kind != Text {
			for t := range numTypes {
				if info.types[t] {
					m.asked[t] = true
					m.elemTyp[e][t] = append(m.elemTyp[e][t], i)
				}
			}
		}
		m.items = append(m.items, info)
	}
	if err := m.resolveTypeWeights(); err != nil {
		return nil, err
	}
	if err := m.units(in); err != nil {
		return nil, err
	}
	return m, nil
}

// resolveTypeWeights fills in equal weights over the asked types when none are set.
func (m *model) resolveTypeWeights() error {
	if len(m.s.TypeWeights) == 0 {
		w := map[string]float64{}
		for t, name := range Types() {
			if m.asked[t] {
				m.typeW[t] = 1
				w[name] = 1
			}
		}
		m.s.TypeWeights = w
	} else {
		cp := map[string]float64{}
		for name, w := range m.s.TypeWeights {
			m.typeW[TypeIndex(name)] = w
			cp[name] = w
		}
		m.s.TypeWeights = cp
	}
	ew := make(map[string]float64, len(m.elems))
	for e, code := range m.elems {
		ew[code] = m.elemW[e]
	}
	m.s.ElementWeights = ew
	return nil
}

// units indexes the units, their corrections and strata, and checks every response.
func (m *model) units(in Input) error {
	for i, u := range in.Units {
		if u.Code == "" {
			return fmt.Errorf("analysis: unit %d: empty code", i+1)
		}
		if _, dup := m.unitIdx[u.Code]; dup {
			return fmt.Errorf("analysis: unit %q: duplicate", u.Code)
		}
		for t, n := range u.Population {
			if TypeIndex(t) < 0 || n < 0 {
				return fmt.Errorf("analysis: unit %q: population %q = %d", u.Code, t, n)
			}
		}
		m.unitIdx[u.Code] = i
		m.strataOf = append(m.strataOf, in.Strata[u.Code])
	}
	for code, cs := range in.Corrections {
		if _, ok := m.unitIdx[code]; !ok {
			return fmt.Errorf("analysis: corrections: unknown unit %q", code)
		}
		for j, c := range cs {
			if c.Points < 0 || math.IsNaN(c.Points) || math.IsInf(c.Points, 0) {
				return fmt.Errorf("analysis: unit %q correction %d: points must be a finite number ≥ 0", code, j+1)
			}
		}
	}
	for code := range in.Withheld {
		if _, ok := m.unitIdx[code]; !ok {
			return fmt.Errorf("analysis: withheld: unknown unit %q", code)
		}
	}
	if err := m.checkExclusions(in.Exclusions); err != nil {
		return err
	}
	for code := range in.Strata {
		if _, ok := m.unitIdx[code]; !ok {
			return fmt.Errorf("analysis: strata: unknown unit %q", code)
		}
	}
	from := m.mc.unchanged() // checked in an earlier call
	chunks := (len(in.Responses) - from + scoreChunk - 1) / scoreChunk
	errs := make([]error, chunks)
	parallel(chunks, func(_, ch int) {
		for i := from + ch*scoreChunk; i < min(len(in.Responses), from+(ch+1)*scoreChunk); i++ {
			if m.mc.same(i) {
				continue
			}
			if err := m.checkResponse(&in.Responses[i]); err != nil {
				errs[ch] = err
				return
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkResponse reports a response that does not fit the instrument.
func (m *model) checkResponse(r *Response) error {
	if _, ok := m.unitIdx[r.Unit]; !ok {
		return fmt.Errorf("analysis: response %d: unknown unit %q", r.ID, r.Unit)
	}
	if TypeIndex(r.Type) < 0 {
		return fmt.Errorf("analysis: response %d: unknown respondent type %q", r.ID, r.Type)
	}
	if len(r.Answers) != len(m.items) {
		return fmt.Errorf("analysis: response %d: %d answers for %d items", r.ID, len(r.Answers), len(m.items))
	}
	for i, a := range r.Answers {
		if a == NoAnswer || a == DontKnow {
			continue
		}
		it := &m.items[i]
		ok := false
		switch it.kind {
		case Ordinal:
			ok = int(a) <= it.points
		case Experience:
			ok = a == Yes || a == No
		case Text:
			ok = a == 1
		}
		if !ok {
			return fmt.Errorf("analysis: response %d item %q: answer %d out of range", r.ID, it.code, a)
		}
	}
	return nil
}

// itemScore is the 0–100 score of an answer, or NaN when missing or unscored.
func itemScore(it *itemInfo, a byte) float64 {
	if a == NoAnswer || a == DontKnow {
		return math.NaN()
	}
	var s float64
	switch it.kind {
	case Ordinal:
		s = 100 * float64(int(a)-1) / float64(it.points-1)
	case Experience:
		if a == Yes {
			s = 0
		} else {
			s = 100
		}
	default:
		return math.NaN()
	}
	if it.reverse {
		s = 100 - s
	}
	return s
}
