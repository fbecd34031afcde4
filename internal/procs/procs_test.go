package procs

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPolicy(t *testing.T) {
	calmRun := make([]float64, calm)
	for i := range calmRun {
		calmRun[i] = 0.2
	}
	tests := []struct {
		name string
		busy []float64
		last int // processors after the last window
	}{
		{name: "a calm start goes down after calm windows", busy: calmRun, last: 1},
		{name: "one calm window short stays up", busy: calmRun[1:], last: 4},
		{name: "a busy window resets the calm count", busy: append(append(append([]float64{}, calmRun[1:]...), 0.6), calmRun[1:]...), last: 4},
		{name: "up at once past the threshold", busy: append(append([]float64{}, calmRun...), 0.5, 0.74, 0.75), last: 4},
		{name: "between the thresholds holds one", busy: append(append([]float64{}, calmRun...), 0.6, 0.7, 0.74), last: 1},
		{name: "between the thresholds holds all", busy: append(append(append([]float64{}, calmRun...), 0.9), calmRun[:calm-1]...), last: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &policy{max: 4, cur: 4}
			got := 0
			for _, b := range tt.busy {
				got = p.next(b)
			}
			if got != tt.last {
				t.Errorf("after %v: %d processors, want %d", tt.busy, got, tt.last)
			}
		})
	}
}

// TestGovernFollowsTheLoad runs the governor on the real runtime with a
// load it is told rather than one burnt on the machine's cores, so that
// other work on a busy machine cannot starve the test of the CPU it
// means to show: idle, it comes down to one processor; at 1.5 cores it
// goes up to all within a few windows; idle again, down; and when it
// stops, the runtime has its own choice back.
func TestGovernFollowsTheLoad(t *testing.T) {
	max := runtime.GOMAXPROCS(0)
	if max < 2 {
		t.Skip("one processor: nothing to govern")
	}
	var load simulatedLoad
	load.set(0)
	ctx, cancel := context.WithCancel(context.Background())
	var procs atomic.Int32
	procs.Store(int32(max))
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(ctx, &policy{max: max, cur: max}, load.cpu, func(n int) int {
			procs.Store(int32(n))
			return runtime.GOMAXPROCS(n)
		})
	}()
	waitFor := func(want int) {
		t.Helper()
		const within = 10 * time.Second // ticks late on a busy machine, never wrong
		for start := time.Now(); time.Since(start) < within; time.Sleep(window / 2) {
			if int(procs.Load()) == want && runtime.GOMAXPROCS(0) == want {
				return
			}
		}
		t.Fatalf("GOMAXPROCS %d after %v, want %d", runtime.GOMAXPROCS(0), within, want)
	}
	waitFor(1)
	load.set(1.5)
	waitFor(max)
	load.set(0.1)
	waitFor(1)

	cancel()
	<-done
	if got := runtime.GOMAXPROCS(0); got != max {
		t.Errorf("GOMAXPROCS %d after the governor stopped, want the runtime's %d", got, max)
	}
}

// simulatedLoad is a process CPU clock that runs at a set number of cores.
type simulatedLoad struct {
	mu    sync.Mutex
	at    time.Time
	used  time.Duration
	cores float64
}

func (l *simulatedLoad) advance() {
	now := time.Now()
	if !l.at.IsZero() {
		l.used += time.Duration(float64(now.Sub(l.at)) * l.cores)
	}
	l.at = now
}

func (l *simulatedLoad) set(cores float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.advance()
	l.cores = cores
}

func (l *simulatedLoad) cpu() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.advance()
	return l.used
}

// TestCPUTimeCountsTheProcess checks the governor's real clock: it grows
// by what a busy loop burns, and no faster than the wall clock allows.
func TestCPUTimeCountsTheProcess(t *testing.T) {
	start, wall := cpuTime(), time.Now()
	for x := 0; cpuTime()-start < 20*time.Millisecond; x++ {
		if time.Since(wall) > 10*time.Second {
			t.Fatal("20 ms of CPU not counted in 10 s of a busy loop")
		}
		_ = x * x
	}
	if used, elapsed := cpuTime()-start, time.Since(wall); used > time.Duration(runtime.NumCPU())*elapsed+10*time.Millisecond {
		t.Errorf("cpuTime counted %v in %v of wall time on %d CPUs", used, elapsed, runtime.NumCPU())
	}
}

func TestGovernLeavesTheOperatorsChoice(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	Govern(ctx, func(k string) string { return map[string]string{"GOMAXPROCS": "2"}[k] })
	time.Sleep((calm + 5) * window)
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS %d with the operator's GOMAXPROCS set, want it left at %d", got, before)
	}
}

func TestGovernOnePerProcess(t *testing.T) {
	max := runtime.GOMAXPROCS(0)
	if max < 2 {
		t.Skip("one processor: nothing to govern")
	}
	first, stopFirst := context.WithCancel(context.Background())
	Govern(first, func(string) string { return "" })
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Fatalf("GOMAXPROCS %d under a governor at rest, want 1", got)
	}
	// A second server's governor stays out; the first still governs.
	second, stopSecond := context.WithCancel(context.Background())
	Govern(second, func(string) string { return "" })
	stopSecond()
	time.Sleep(3 * window)
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("GOMAXPROCS %d after the second governor's context ended, want the first's 1", got)
	}
	stopFirst()
	for start := time.Now(); governing.Load(); time.Sleep(window / 10) {
		if time.Since(start) > 10*window {
			t.Fatal("the governor did not stop with its context")
		}
	}
	if got := runtime.GOMAXPROCS(0); got != max {
		t.Errorf("GOMAXPROCS %d after the governor stopped, want the runtime's %d", got, max)
	}
}
