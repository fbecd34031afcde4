package packet

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"integritas/internal/synth"
	"integritas/survey"
)

// cityStore builds period P2 of units units with perUnit responses each
// (internal, external and expert), and a closed earlier period P1 for the trend.
func cityStore(b testing.TB, units, perUnit int) *survey.Store {
	b.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(b.TempDir(), "city.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	for pi, code := range []string{"P1", "P2"} {
		spec := synth.Spec{Code: code, Units: units, Responses: units * perUnit, Start: time.Date(2025+pi, 7, 1, 8, 0, 0, 0, time.UTC), Seed: uint64(3 + pi), Open: true}
		if _, err := synth.Period(ctx, st, spec); err != nil {
			b.Fatal(err)
		}
	}
	if err := st.SetPeriodStatus(ctx, "P1", survey.StatusClosed); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkPackets300 builds the packets of 300 units, from loading the
// results to the last ZIP on disk (target: under 60 s on 2 cores).
func BenchmarkPackets300(b *testing.B) {
	st := cityStore(b, 300, 40)
	ctx := context.Background()
	bd := bundle(b)
	dir := b.TempDir()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		src := loadSource(b, st, "P2", bd, survey.DefaultOrgSettings())
		if err := src.BuildAll(ctx, dir, "id", nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	entries, _ := os.ReadDir(dir)
	if len(entries) != 300 {
		b.Fatalf("%d packets, want 300", len(entries))
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/300-packets")
	// CPU seconds show the cost apart from other load on a shared machine:
	// on an idle 2-core machine the wall time is about half of it.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/300-packets")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
