package analysis

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestMemoMatchesCompute changes an input step by step — new responses
// appended, the order shuffled, an answer edited in place, exclusions and
// settings changed — and checks that a Memo's results equal Compute's after
// every step, so no memoised cell outlives a change it depends on.
//
// The variants append responses with ids above the rest, or, as the store
// gives them (random ids), among the rest; and run on the mixed scales of
// genInstrument or on 5-point scales only, whose tallies the memo extends
// in any id order (exactTypes).
func TestMemoMatchesCompute(t *testing.T) {
	for _, v := range []struct {
		name                string
		interleave, fivePts bool
	}{{"ascending ids", false, false}, {"random ids", true, false}, {"random ids, 5-point scales", true, true}, {"ascending ids, 5-point scales", false, true}} {
		t.Run(v.name, func(t *testing.T) { testMemoMatchesCompute(t, v.interleave, v.fivePts) })
	}
}

// fivePoint puts every ordinal item of in on a 5-point scale, answers
// above 5 becoming 5.
func fivePoint(in *Input, rs []Response) {
	for j := range in.Items {
		if in.Items[j].Kind != Ordinal {
			continue
		}
		in.Items[j].Points = 5
		for i := range rs {
			if a := rs[i].Answers[j]; a != DontKnow && a > 5 {
				rs[i].Answers[j] = 5
			}
		}
	}
}

func testMemoMatchesCompute(t *testing.T, interleave, fivePts bool) {
	in := genInput(3, 6, 900, 12)
	more := genInput(4, 6, 900, 12).Responses
	for i := range more {
		more[i].ID += 1 << 20
		if interleave {
			in.Responses[i].ID *= 4
			more[i].ID = in.Responses[i].ID + 1 + 2*int64(i%2) // ids 4k+1 and 4k+3, among the others
		}
	}
	if interleave { // and in no order, as the store's ids come
		rand.New(rand.NewPCG(6, 16)).Shuffle(len(more), func(i, j int) { more[i], more[j] = more[j], more[i] })
	}
	if fivePts {
		fivePoint(&in, in.Responses)
		fivePoint(&in, more)
	}
	rng := rand.New(rand.NewPCG(5, 16))
	mm := NewMemo()
	kept := 0 // responses an append step left in place (ComputeAppended)
	steps := []struct {
		name string
		do   func()
	}{
		{"append", func() {
			n := 1 + rng.IntN(40)
			kept = len(in.Responses)
			in.Responses = append(in.Responses, more[:n]...)
			more = more[n:]
		}},
		{"duplicate", func() {
			// a later batch repeats an earlier device's answers, within
			// the window or before the earlier one's hour
			r := in.Responses[rng.IntN(len(in.Responses))]
			if r.Device == "" {
				r.Device = "dup-device"
			}
			r.ID = more[0].ID
			more = more[1:]
			r.Hour = r.Hour.Add(time.Duration(rng.IntN(5)-2) * time.Hour)
			kept = len(in.Responses)
			in.Responses = append(in.Responses, r)
		}},
		{"coach", func() {
			// a batch answering alike within an hour: a coached cluster
			r := in.Responses[rng.IntN(len(in.Responses))]
			kept = len(in.Responses)
			for range 20 + rng.IntN(6) { // over the default minimum share (20 %) of a cell
				c := r
				c.ID, c.Device = more[0].ID, ""
				more = more[1:]
				in.Responses = append(in.Responses, c)
			}
		}},
		{"shuffle", func() {
			in.Responses = slices.Clone(in.Responses)
			rng.Shuffle(len(in.Responses), func(i, j int) { in.Responses[i], in.Responses[j] = in.Responses[j], in.Responses[i] })
		}},
		{"edit", func() {
			i := rng.IntN(len(in.Responses))
			ans := slices.Clone(in.Responses[i].Answers)
			for j := range ans {
				if ans[j] > 1 && ans[j] != DontKnow && in.Items[j].Kind == Ordinal {
					ans[j]--
				}
			}
			in.Responses[i].Answers = ans
		}},
		{"exclude", func() {
			in.Exclusions = []Exclusion{{Kind: ExcludeFlag, Flag: []string{FlagSpeeder, FlagStraightLine, FlagDuplicate}[rng.IntN(3)]}}
		}},
		{"decide", func() {
			in.Decisions = map[int64]bool{in.Responses[rng.IntN(len(in.Responses))].ID: false}
		}},
		{"correct", func() {
			code := in.Units[rng.IntN(len(in.Units))].Code
			in.Corrections = map[string][]Correction{code: {{Points: float64(rng.IntN(8)), Kind: "complaints", Reason: "r", Evidence: "e"}}}
		}},
		{"withhold", func() {
			in.Withheld = map[string]string{in.Units[rng.IntN(len(in.Units))].Code: "under review"}
		}},
		{"hide", func() {
			in.Hidden = map[string]map[string]bool{in.Units[rng.IntN(len(in.Units))].Code: {Types()[rng.IntN(numTypes)]: true}}
		}},
		{"settings", func() {
			in.Settings.SpeederFraction = 0.2 + 0.3*rng.Float64()
		}},
	}
	check := func(what string) {
		t.Helper()
		want, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		if rng.IntN(3) == 0 {
			// as the results cache does when decisions exist: the flags
			// first, through the memo, then the figures
			wantFlags, err := QualityFlags(in)
			if err != nil {
				t.Fatal(err)
			}
			gotFlags, err := mm.QualityFlagsAppended(in, kept)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotFlags, wantFlags) {
				t.Fatalf("after %s: the memo's flags differ from QualityFlags'", what)
			}
		}
		got, err := mm.ComputeAppended(in, kept)
		kept = 0
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("after %s: the memo's results differ from Compute's", what)
		}
	}
	check("start")
	for k := range 60 {
		s := steps[rng.IntN(len(steps))]
		s.do()
		check(fmt.Sprintf("step %d (%s)", k, s.name))
	}
}

// TestMedianSelects checks the selecting median against sorting, on
// lengths odd and even and on many ties (durations are whole seconds).
func TestMedianSelects(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for n := range 200 {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(1 + n/3))
		}
		s := slices.Sorted(slices.Values(x))
		want := 0.0
		if n%2 == 1 {
			want = s[n/2]
		} else if n > 0 {
			want = (s[n/2-1] + s[n/2]) / 2
		}
		if got := median(x); got != want {
			t.Fatalf("n=%d: median %v, want %v", n, got, want)
		}
	}
}
