package survey_test

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"integritas/analysis"
	"integritas/assets"
	"integritas/internal/demo"
	"integritas/survey"
)

func demoStore(t *testing.T) (*survey.Store, *survey.Period) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	st, err := survey.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), survey.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Build(ctx, st, demo.Options{Seed: 7, Now: now, Instrument: assets.DefaultInstrument()}); err != nil {
		t.Fatal(err)
	}
	p, err := st.Period(ctx, demo.Current)
	if err != nil {
		t.Fatal(err)
	}
	return st, p
}

func ids(ms []survey.SampleMember) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.RosterID
	}
	return out
}

// achieved is the 95 % margin (index points) of a proportion near 0.5 from
// n of N with the finite population correction, the inverse of
// analysis.RequiredSampleSize.
func achieved(n, N int) float64 {
	if n >= N {
		return 0
	}
	return 100 * 1.96 * math.Sqrt(0.25/float64(n)*float64(N-n)/float64(N-1))
}

func TestDrawSample(t *testing.T) {
	st, p := demoStore(t)
	ctx := context.Background()
	// Mark every third DINKES staff member as outside the frame (§1).
	staff, _ := st.Roster(ctx, p.ID, 0, survey.Internal)
	var dinkes []survey.RosterEntry
	for _, r := range staff {
		if r.UnitCode == "DINKES" {
			if len(dinkes)%3 == 0 {
				r.Warning = "years_unit"
			}
			dinkes = append(dinkes, r)
		}
	}
	if err := st.ImportRoster(ctx, p.ID, dinkes); err != nil {
		t.Fatal(err)
	}
	req := survey.SampleRequest{Margin: 5, Seed: 42, By: "test", Size: analysis.RequiredSampleSize}
	first, err := st.DrawSample(ctx, p.ID, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 {
		t.Fatal("no samples drawn from the demo rosters")
	}
	roster, _ := st.Roster(ctx, p.ID, 0, "")
	warned := map[int64]bool{}
	for _, r := range roster {
		if r.Warning != "" {
			warned[r.ID] = true
		}
	}
	if len(warned) == 0 {
		t.Fatal("fixture: the demo roster should have rows with frame warnings")
	}
	for _, s := range first {
		t.Run(s.UnitCode+"/"+s.Type, func(t *testing.T) {
			if s.Size != len(s.Members) || s.Size > s.Population {
				t.Fatalf("size %d, %d members, population %d", s.Size, len(s.Members), s.Population)
			}
			if s.Population > 0 {
				if m := achieved(s.Size, s.Population); m > s.Margin+1e-9 {
					t.Errorf("n = %d of N = %d gives a margin of %.2f, above the target %.1f", s.Size, s.Population, m, s.Margin)
				}
				if s.Size > 1 && achieved(s.Size-1, s.Population) <= s.Margin {
					t.Errorf("n = %d is larger than the margin needs", s.Size)
				}
			}
			seen := map[int64]bool{}
			for _, m := range s.Members {
				if warned[m.RosterID] || seen[m.RosterID] {
					t.Errorf("member %d: warned %v, repeated %v", m.RosterID, warned[m.RosterID], seen[m.RosterID])
				}
				seen[m.RosterID] = true
			}
			again, err := st.ReplaySample(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(again), ids(s.Members)) {
				t.Errorf("replay from seed %d differs", s.Seed)
			}
		})
	}
	// The same seed draws the same people; another seed draws others.
	second, err := st.DrawSample(ctx, p.ID, req)
	if err != nil {
		t.Fatal(err)
	}
	req.Seed = 43
	third, err := st.DrawSample(ctx, p.ID, req)
	if err != nil {
		t.Fatal(err)
	}
	differs := false
	for i := range first {
		if !slices.Equal(ids(first[i].Members), ids(second[i].Members)) {
			t.Errorf("%s/%s: the same seed drew other people", first[i].UnitCode, first[i].Type)
		}
		if !slices.Equal(ids(first[i].Members), ids(third[i].Members)) {
			differs = true
		}
	}
	if !differs {
		t.Error("another seed drew the same people everywhere")
	}
	// The draw is recorded with its seed and members.
	stored, err := st.Samples(ctx, p.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 3*len(first) || stored[len(stored)-1].Seed != 42 || !slices.Equal(ids(stored[len(stored)-1].Members), ids(first[0].Members)) {
		t.Errorf("recorded samples do not match the draws")
	}
}

func TestDrawSampleRefusesBadRequests(t *testing.T) {
	st, p := demoStore(t)
	ctx := context.Background()
	cases := []struct {
		name string
		req  survey.SampleRequest
		want error
	}{
		{"zero margin", survey.SampleRequest{Margin: 0, Size: analysis.RequiredSampleSize}, survey.ErrBadSample},
		{"margin above cap", survey.SampleRequest{Margin: 12, Size: analysis.RequiredSampleSize}, survey.ErrBadSample},
		{"external has no roster", survey.SampleRequest{Margin: 5, Types: []string{"external"}, Size: analysis.RequiredSampleSize}, survey.ErrBadSample},
		{"unknown unit", survey.SampleRequest{Margin: 5, Units: []string{"NOPE"}, Size: analysis.RequiredSampleSize}, survey.ErrNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := st.DrawSample(ctx, p.ID, c.req); !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
	if got, _ := st.Samples(ctx, p.ID, false); len(got) != 0 {
		t.Errorf("refused requests recorded %d samples", len(got))
	}
}
