package procs

import (
	"context"
	"runtime"
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

// TestGovernFollowsTheLoad runs the governor on the real runtime: idle,
// it comes down to one processor; with CPU burnt on every core it goes
// up to all within a few windows; idle again, down; and when it stops,
// the runtime has its own choice back.
func TestGovernFollowsTheLoad(t *testing.T) {
	max := runtime.GOMAXPROCS(0)
	if max < 2 {
		t.Skip("one processor: nothing to govern")
	}
	ctx, cancel := context.WithCancel(context.Background())
	var procs atomic.Int32
	procs.Store(int32(max))
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(ctx, &policy{max: max, cur: max}, cpuTime, func(n int) int {
			procs.Store(int32(n))
			return runtime.GOMAXPROCS(n)
		})
	}()
	waitFor := func(want int, within time.Duration) {
		t.Helper()
		for start := time.Now(); time.Since(start) < within; time.Sleep(window / 2) {
			if int(procs.Load()) == want && runtime.GOMAXPROCS(0) == want {
				return
			}
		}
		t.Fatalf("GOMAXPROCS %d after %v, want %d", runtime.GOMAXPROCS(0), within, want)
	}
	waitFor(1, calm*window+2*time.Second)

	var stop atomic.Bool
	for range max {
		go func() {
			for x := 0; !stop.Load(); x++ {
				_ = x * x
			}
		}()
	}
	waitFor(max, 10*window)
	stop.Store(true)
	waitFor(1, calm*window+2*time.Second)

	cancel()
	<-done
	if got := runtime.GOMAXPROCS(0); got != max {
		t.Errorf("GOMAXPROCS %d after the governor stopped, want the runtime's %d", got, max)
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
