package analysis

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// qInput is a unit with 12 five-point ordinal items asked of every type.
func qInput() Input {
	in := Input{Period: "q", Settings: DefaultSettings(), Elements: []Element{{Code: "E"}},
		Units: []Unit{{Code: "U1", Name: "U1"}, {Code: "U2", Name: "U2"}}}
	for i := range 12 {
		in.Items = append(in.Items, Item{Code: string(rune('a' + i)), Element: "E", Kind: Ordinal, Points: 5})
	}
	return in
}

func (in *Input) addResp(unit, typ string, hour int, dur float64, device string, ans []byte) int64 {
	id := int64(len(in.Responses) + 1)
	in.Responses = append(in.Responses, Response{ID: id, Unit: unit, Type: typ, Hour: t0.Add(time.Duration(hour) * time.Hour),
		Duration: dur, Device: device, Answers: append([]byte(nil), ans...)})
	return id
}

func randomAnswers(rng *rand.Rand, n int) []byte {
	a := make([]byte, n)
	for i := range a {
		a[i] = byte(1 + rng.IntN(5))
	}
	return a
}

func same(v byte, n int) []byte {
	a := make([]byte, n)
	for i := range a {
		a[i] = v
	}
	return a
}

func codes(fs []Flag) map[string]Flag {
	out := map[string]Flag{}
	for _, f := range fs {
		out[f.Code] = f
	}
	return out
}

func TestSpeeders(t *testing.T) {
	in := qInput()
	rng := rand.New(rand.NewPCG(1, 1))
	ids := map[float64]int64{}
	// internal durations: median of 90, 99, 300, 310, 320, 330 = 305 → cutoff 305/3 = 101.67
	for _, d := range []float64{300, 310, 320, 330, 90, 99} {
		ids[d] = in.addResp("U1", Internal, 0, d, "", randomAnswers(rng, 12))
	}
	// external: median 55 → cutoff 18.3; 50 is not fast for externals
	for _, d := range []float64{50, 60, 55} {
		in.addResp("U1", External, 0, d, "", randomAnswers(rng, 12))
	}
	unknown := in.addResp("U1", Internal, 0, 0, "", randomAnswers(rng, 12)) // unknown duration
	flags, err := QualityFlags(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []float64{90, 99} {
		f, ok := codes(flags[ids[d]])[FlagSpeeder]
		if !ok || !near(f.Threshold, 305.0/3, 1e-12) || f.Value != d {
			t.Errorf("duration %v: %+v", d, flags[ids[d]])
		}
	}
	n := 0
	for _, fs := range flags {
		if _, ok := codes(fs)[FlagSpeeder]; ok {
			n++
		}
	}
	if n != 2 || len(flags[unknown]) != 0 {
		t.Errorf("%d speeders, unknown duration flagged %v", n, flags[unknown])
	}
}

func TestStraightLiners(t *testing.T) {
	in := qInput()
	liner := in.addResp("U1", Internal, 0, 300, "", same(3, 12))
	short := same(3, 12)
	short[0], short[1], short[2] = DontKnow, NoAnswer, DontKnow // 9 answered < 10
	shortID := in.addResp("U1", Internal, 0, 300, "", short)
	almost := same(3, 12)
	almost[11] = 4
	almostID := in.addResp("U1", Internal, 0, 300, "", almost)
	tenOf := same(5, 12)
	tenOf[0], tenOf[1] = DontKnow, DontKnow // exactly 10 answered, all 5
	tenID := in.addResp("U1", Internal, 0, 300, "", tenOf)
	flags, _ := QualityFlags(in)
	if f, ok := codes(flags[liner])[FlagStraightLine]; !ok || f.Value != 12 {
		t.Errorf("straight-liner not flagged: %v", flags[liner])
	}
	if _, ok := codes(flags[tenID])[FlagStraightLine]; !ok {
		t.Errorf("10 items all 5 not flagged")
	}
	for _, id := range []int64{shortID, almostID} {
		if _, ok := codes(flags[id])[FlagStraightLine]; ok {
			t.Errorf("response %d flagged", id)
		}
	}
}

func TestDuplicates(t *testing.T) {
	in := qInput()
	rng := rand.New(rand.NewPCG(2, 2))
	a := randomAnswers(rng, 12)
	first := in.addResp("U1", External, 0, 300, "d1", a)
	second := in.addResp("U1", External, 10, 300, "d1", a)
	late := in.addResp("U1", External, 40, 300, "d1", a) // 30 h after the second
	other := in.addResp("U1", External, 1, 300, "d2", a)
	b := append([]byte(nil), a...)
	b[0] = b[0]%5 + 1
	diff := in.addResp("U1", External, 2, 300, "d1", b)
	noDev := in.addResp("U1", External, 3, 300, "", a)
	noDev2 := in.addResp("U1", External, 3, 300, "", a)
	flags, _ := QualityFlags(in)
	if f, ok := codes(flags[second])[FlagDuplicate]; !ok || f.Related != first {
		t.Errorf("second not flagged as duplicate of first: %v", flags[second])
	}
	for _, id := range []int64{first, late, other, diff, noDev, noDev2} {
		if _, ok := codes(flags[id])[FlagDuplicate]; ok {
			t.Errorf("response %d flagged as duplicate", id)
		}
	}
}

func TestCoaching(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	coached := same(4, 12)
	coached[3], coached[7] = 5, 2 // a script, not a straight line
	tests := []struct {
		name  string
		build func(in *Input) []int64 // returns the responses that must be flagged
		want  bool
	}{
		{"ten identical in a 3-hour sitting among twenty diverse over two weeks", func(in *Input) []int64 {
			var ids []int64
			for i := range 10 {
				ids = append(ids, in.addResp("U1", Internal, 100+i%3, 300, "", coached))
			}
			for i := range 20 {
				in.addResp("U1", Internal, i*16, 300, "", randomAnswers(rng, 12))
			}
			return ids
		}, true},
		{"one disagreement in twelve is 91.7 % < 95 %: not joined", func(in *Input) []int64 {
			for i := range 10 {
				a := append([]byte(nil), coached...)
				a[i] = 1
				in.addResp("U1", Internal, i, 300, "", a)
			}
			for i := range 20 {
				in.addResp("U1", Internal, i, 300, "", randomAnswers(rng, 12))
			}
			return nil
		}, false},
		{"everyone truly agrees: the permutations agree too", func(in *Input) []int64 {
			for i := range 30 {
				in.addResp("U1", Internal, i, 300, "", coached)
			}
			return nil
		}, false},
		{"identical but 72 h apart: no window", func(in *Input) []int64 {
			for i := range 10 {
				in.addResp("U1", Internal, i*72, 300, "", coached)
			}
			for i := range 20 {
				in.addResp("U1", Internal, i, 300, "", randomAnswers(rng, 12))
			}
			return nil
		}, false},
		{"cluster under 20 % of the unit-type", func(in *Input) []int64 {
			for i := range 6 {
				in.addResp("U1", Internal, i, 300, "", coached)
			}
			for i := range 40 { // 6 < 0.2·46 = 9.2
				in.addResp("U1", Internal, i, 300, "", randomAnswers(rng, 12))
			}
			return nil
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := qInput()
			want := tc.build(&in)
			flags, err := QualityFlags(in)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, fs := range flags {
				if _, ok := codes(fs)[FlagCoached]; ok {
					n++
				}
			}
			if !tc.want {
				if n != 0 {
					t.Errorf("%d responses flagged as coached", n)
				}
				return
			}
			if n != len(want) {
				t.Errorf("%d flagged, want %d", n, len(want))
			}
			for _, id := range want {
				f, ok := codes(flags[id])[FlagCoached]
				if !ok || f.Value != 10 || f.Related != want[0] || f.Threshold >= 10 {
					t.Errorf("response %d: %+v", id, flags[id])
				}
			}
		})
	}
}

func TestCoachingDeterministic(t *testing.T) {
	in := qInput()
	rng := rand.New(rand.NewPCG(4, 4))
	for i := range 8 {
		in.addResp("U1", Internal, i, 300, "", same(2, 12))
	}
	for i := range 25 {
		a := randomAnswers(rng, 12)
		a[0], a[1], a[2], a[3], a[4], a[5] = 2, 2, 2, 2, 2, 2
		in.addResp("U1", Internal, i, 300, "", a)
	}
	r1, _ := Compute(in)
	r2, _ := Compute(in)
	c1, c2 := r1.City.Quality.Clusters, r2.City.Quality.Clusters
	if len(c1) != len(c2) {
		t.Fatalf("clusters differ: %v %v", c1, c2)
	}
	for i := range c1 {
		if !reflect.DeepEqual(c1[i], c2[i]) {
			t.Errorf("run 1 %+v run 2 %+v", c1[i], c2[i])
		}
	}
}

func TestInclusionDecisions(t *testing.T) {
	in := qInput()
	rng := rand.New(rand.NewPCG(5, 5))
	liner := in.addResp("U1", Internal, 0, 300, "", same(1, 12)) // straight-liner scoring 0
	other := in.addResp("U1", Internal, 0, 300, "", same(1, 12))
	for range 6 {
		in.addResp("U1", Internal, 0, 300, "", randomAnswers(rng, 12))
	}
	scoreN := func(in Input) (int, QualitySummary) {
		res, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		u := res.Units[0]
		return *u.Components[Internal].N, u.Quality
	}
	// v2: flags are evidence; every response counts by default
	n, q := scoreN(in)
	if n != 8 || q.Flagged != 2 || q.Excluded != 0 || q.ByFlag[FlagStraightLine] != 2 {
		t.Errorf("default: n %d quality %+v", n, q)
	}
	// the v1 switch no longer excludes anything
	in.Settings.IncludeFlagged = false
	if n2, _ := scoreN(in); n2 != 8 {
		t.Errorf("include_flagged=false excluded answers: n %d", n2)
	}
	// a recorded exclusion by flag type removes them and is echoed
	in.Exclusions = []Exclusion{{Kind: ExcludeFlag, Flag: FlagStraightLine, Unit: "U1", By: "ana", Reason: "not read"}}
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	u := res.Units[0]
	if *u.Components[Internal].N != 6 || u.Quality.ExcludedByDecision != 2 || len(u.Exclusions) != 1 ||
		u.Exclusions[0].Responses != 2 || u.Exclusions[0].By != "ana" || res.City.Exclusions[0].Responses != 2 {
		t.Errorf("exclude by flag: n %d quality %+v exclusions %+v", *u.Components[Internal].N, u.Quality, u.Exclusions)
	}
	// per-response decisions win over exclusions both ways
	in.Decisions = map[int64]bool{other: true, 3: false}
	if n, q = scoreN(in); n != 6 || q.IncludedByDecision != 0 || q.ExcludedByDecision != 2 {
		t.Errorf("decisions: n %d %+v", n, q)
	}
	in.Exclusions = nil
	in.Decisions = map[int64]bool{liner: false}
	if n, q = scoreN(in); n != 7 || q.ExcludedByDecision != 1 || q.Excluded != 1 {
		t.Errorf("exclude by decision: n %d %+v", n, q)
	}
	// an exclusion naming an unknown flag is an error
	in.Exclusions = []Exclusion{{Kind: ExcludeFlag, Flag: "sleepy"}}
	if _, err := Compute(in); err == nil {
		t.Error("unknown flag accepted")
	}
}
