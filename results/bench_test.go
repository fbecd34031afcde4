package results

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"integritas/internal/demo"
	"integritas/internal/synth"
	"integritas/survey"
)

// nationalStore builds period NAT of n responses over units units with the
// default instrument (47 items).
func nationalStore(b *testing.B, n, units int) *survey.Store {
	b.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(b.TempDir(), "national.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := synth.Period(ctx, st, synth.Spec{Code: "NAT", Units: units, Responses: n, Start: time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC), Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkNationalPeriod computes full results for 500,000 responses × 47
// items over 300 units, reading from the SQLite store (target: < 3 s, < 1 GB).
func BenchmarkNationalPeriod(b *testing.B) {
	st := nationalStore(b, 500_000, 300)
	ctx := context.Background()
	b.ResetTimer()
	cpu := cpuTime(b)
	var peak uint64
	for i := 0; i < b.N; i++ {
		r, err := Compute(ctx, st, "NAT", Options{})
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

// releaseThousand stores 1,000 new answers into period NAT the way
// fieldwork brings them: 100 batches of 10, each one unit×type's release.
func releaseThousand(b testing.TB, st *survey.Store, round int) {
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
func BenchmarkNationalIncremental(b *testing.B) {
	st := nationalStore(b, 500_000, 300)
	ctx := context.Background()
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
		if _, err := c.Get(ctx, "NAT", Options{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime(b) - start
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
