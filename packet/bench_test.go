package packet

import (
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
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
// results to the last ZIP on disk (target: under 10 s on 2 cores, issue 16).
// Peak memory is reported for the two phases apart: results' loading
// (another package's) and the packets' building; the timer stops while
// each phase's measurement is set up.
func BenchmarkPackets300(b *testing.B) {
	st := cityStore(b, 300, 40)
	ctx := context.Background()
	bd := bundle(b)
	dir := b.TempDir()
	var cpu time.Duration
	var load, build [2]float64 // peak RSS and live heap, MB
	phase := func(peak *[2]float64, run func()) {
		b.StopTimer()
		stop := watchPeak()
		b.StartTimer()
		c0 := cpuTime()
		run()
		cpu += cpuTime() - c0
		b.StopTimer()
		rss, heap := stop()
		peak[0], peak[1] = max(peak[0], rss), max(peak[1], heap)
		b.StartTimer()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var src *Source
		phase(&load, func() { src = loadSource(b, st, "P2", bd, survey.DefaultOrgSettings()) })
		phase(&build, func() {
			defer LimitMemory(os.Getenv)() // as the packets command does
			if err := src.BuildAll(ctx, dir, "id", nil, nil); err != nil {
				b.Fatal(err)
			}
		})
	}
	b.StopTimer()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 300 {
		b.Fatalf("%d packets, want 300", len(entries))
	}
	// The packets' size shows what a change of compression costs on disk.
	var size int64
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			size += fi.Size()
		}
	}
	b.ReportMetric(float64(size)/(1<<20), "zip-MB/300-packets")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/300-packets")
	// CPU seconds show the cost apart from other load on a shared machine:
	// on an idle 2-core machine the wall time is about half of it.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/300-packets")
	b.ReportMetric(load[0], "load-peak-rss-MB")
	b.ReportMetric(build[0], "build-peak-rss-MB")
	b.ReportMetric(build[1], "build-peak-heap-MB")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// watchPeak starts measuring peak memory and returns a function that stops
// and reports it in MB: the resident set (VmHWM, reset through clear_refs;
// -1 where the kernel refuses) and the heap the last collection found live,
// sampled every 5 ms. Earlier garbage is collected and returned first, or
// both figures would report what came before.
func watchPeak() func() (rss, heap float64) {
	debug.FreeOSMemory()
	resetHWM := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	done, stopped := make(chan struct{}), make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var top uint64
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			top = max(top, s[0].Value.Uint64())
			select {
			case <-done:
				stopped <- top
				return
			case <-t.C:
			}
		}
	}()
	return func() (float64, float64) {
		close(done)
		heap := float64(<-stopped) / (1 << 20)
		if !resetHWM {
			return -1, heap
		}
		return vmHWM() / 1024, heap
	}
}

// vmHWM is the process's peak resident set in kB, from /proc/self/status.
func vmHWM() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			if err == nil {
				return n
			}
		}
	}
	return -1
}
