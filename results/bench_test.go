package results

import (
	"context"
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
