package results

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"testing"
	"time"

	"integritas/internal/demo"
	"integritas/internal/synth"
	"integritas/survey"
)

// nationalTemplates holds, per size, a national period built once per test
// binary and closed: each benchmark (which the testing package runs more
// than once, with b.N = 1 first) opens a copy instead of inserting 500,000
// responses again, which took a minute and a half of every run.
var nationalTemplates struct {
	mu   sync.Mutex
	dirs map[[2]int]string
}

// TestMain removes the national templates when the binary is done.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range nationalTemplates.dirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// nationalStore opens a copy of period NAT of n responses over units units
// with the default instrument (47 items).
func nationalStore(b *testing.B, n, units int) *survey.Store {
	b.Helper()
	ctx := context.Background()
	t := &nationalTemplates
	t.mu.Lock()
	dir, ok := t.dirs[[2]int{n, units}]
	if !ok {
		var err error
		if dir, err = os.MkdirTemp("", "national"); err != nil {
			t.mu.Unlock()
			b.Fatal(err)
		}
		st, err := survey.Open(ctx, filepath.Join(dir, "national.db"))
		if err == nil {
			_, err = synth.Period(ctx, st, synth.Spec{Code: "NAT", Units: units, Responses: n, Start: time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC), Seed: 1})
			err = errors.Join(err, st.Close())
		}
		if err != nil {
			t.mu.Unlock()
			os.RemoveAll(dir)
			b.Fatal(err)
		}
		if t.dirs == nil {
			t.dirs = map[[2]int]string{}
		}
		t.dirs[[2]int{n, units}] = dir
	}
	t.mu.Unlock()
	tmp := b.TempDir()
	for _, name := range []string{"national.db", "national.db.key"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	st, err := survey.Open(ctx, filepath.Join(tmp, "national.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// The national benchmarks label their timed work (pprof -tagfocus
// bench=period or bench=incremental), goroutines included, so that a
// profile can leave out the store's construction.

// BenchmarkNationalPeriod computes full results for 500,000 responses × 47
// items over 300 units, reading from the SQLite store (target: < 3 s, < 1 GB).
func BenchmarkNationalPeriod(b *testing.B) {
	st := nationalStore(b, 500_000, 300)
	ctx := context.Background()
	b.ResetTimer()
	cpu := cpuTime(b)
	var peak uint64
	for i := 0; i < b.N; i++ {
		var r *Period
		var err error
		pprof.Do(ctx, pprof.Labels("bench", "period"), func(ctx context.Context) { r, err = Compute(ctx, st, "NAT", Options{}) })
		if err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
		runtime.KeepAlive(r)
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
}

// BenchmarkReadNational measures the store read alone.
func BenchmarkReadNational(b *testing.B) {
	st := nationalStore(b, 500_000, 300)
	ctx := context.Background()
	p, _ := st.Period(ctx, "NAT")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := Load(ctx, st, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDemoCity computes the demo city's current period (target: < 100 ms).
func BenchmarkDemoCity(b *testing.B) {
	st := demoStore(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Compute(ctx, st, demo.Current, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// nationalUnits returns period NAT and its units.
func nationalUnits(b testing.TB, st *survey.Store) (*survey.Period, []survey.Unit) {
	b.Helper()
	ctx := context.Background()
	p, err := st.Period(ctx, "NAT")
	if err != nil {
		b.Fatal(err)
	}
	units, err := st.Units(ctx, p.ID)
	if err != nil {
		b.Fatal(err)
	}
	return p, units
}

// releaseThousand stores 1,000 new answers into period NAT the way
// fieldwork brings them: 100 batches of 10, each one unit×type's release.
func releaseThousand(b testing.TB, st *survey.Store, round int) {
	b.Helper()
	ctx := context.Background()
	p, units := nationalUnits(b, st)
	rng := rand.New(rand.NewPCG(uint64(round), 1016))
	for range 100 {
		u, typ := units[rng.IntN(len(units))], survey.Types[rng.IntN(len(survey.Types))]
		batch := make([]survey.NewResponse, 10)
		for j := range batch {
			batch[j] = survey.NewResponse{PeriodID: p.ID, UnitID: u.ID, Type: typ, Channel: survey.ChannelInvitation,
				Submitted: time.Date(2026, 9, 1, 8+j, 0, 0, 0, time.UTC), Duration: 200 + rng.IntN(600),
				Answers: survey.Answers{Vector: synth.Answers(p.Instrument, typ, 0.7, rng)}}
		}
		if err := st.InsertResponses(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNationalIncremental measures the results of a computed national
// period after 1,000 new answers (release untimed): the Cache reads only
// the new batches and recomputes from the period it holds (target: < 100 ms).
func BenchmarkNationalIncremental(b *testing.B) { benchIncremental(b, false) }

// BenchmarkNationalIncrementalDecided is BenchmarkNationalIncremental with
// two decisions recorded (an exclusion and a withheld unit): the cache
// then also computes the flags and the cells that views could difference.
func BenchmarkNationalIncrementalDecided(b *testing.B) { benchIncremental(b, true) }

func benchIncremental(b *testing.B, decided bool) {
	st := nationalStore(b, 500_000, 300)
	ctx := context.Background()
	if decided {
		p, units := nationalUnits(b, st)
		for _, d := range []survey.Decision{
			{PeriodID: p.ID, UnitCode: units[3].Code, Reason: "uji", DecidedBy: "t", Action: survey.DecisionExcludeFlag, Flag: survey.DecisionFlags[0]},
			{PeriodID: p.ID, UnitCode: units[5].Code, Reason: "uji", DecidedBy: "t", Action: survey.DecisionWithhold},
		} {
			if _, err := st.AddDecision(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
	}
	c := NewCache(st)
	if _, err := c.Get(ctx, "NAT", Options{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		releaseThousand(b, st, i)
		start := cpuTime(b)
		b.StartTimer()
		var err error
		pprof.Do(ctx, pprof.Labels("bench", "incremental"), func(ctx context.Context) { _, err = c.Get(ctx, "NAT", Options{}) })
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime(b) - start
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
