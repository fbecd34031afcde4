package procs

import (
	"context"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
)

// Thresholds, in cores of process CPU over one window. One processor
// runs the Go code of a load of up to about 0.75 cores with a queue that
// adds well under a millisecond; past it, all processors. The way down
// is lower and slower: the same load costs about a sixth more CPU on two
// processors, and a load that just made the governor go up must not bring
// it straight down again. Respondents paced at 300 per second keep the
// server at 0.3–0.45 cores.
const (
	window = 100 * time.Millisecond // how often the load is measured
	up     = 0.75                   // one processor: busier than this, use all
	down   = 0.5                    // all processors: calmer than this ...
	calm   = 20                     // ... for this many windows in a row (2 s), use one
)

// policy is the governor's decision, kept apart from the clock and the
// runtime so that a test can drive it.
type policy struct {
	max   int // processors when busy (the runtime's own choice)
	cur   int
	quiet int // windows in a row below down
}

// next takes one window's load, in cores, and returns the processors to use.
func (p *policy) next(busy float64) int {
	switch {
	case p.cur < p.max && busy >= up:
		p.cur, p.quiet = p.max, 0
	case p.cur > 1 && busy < down:
		if p.quiet++; p.quiet >= calm {
			p.cur, p.quiet = 1, 0
		}
	default:
		p.quiet = 0
	}
	return p.cur
}

// governing is set while a governor runs. GOMAXPROCS is one per process,
// so is its governor: a second server in the same process (tests run
// several) leaves it to the first.
var governing atomic.Bool

// Govern adapts GOMAXPROCS until ctx ends, then gives the runtime back its
// own choice. It does nothing when the operator set GOMAXPROCS (their
// choice stands), the process has one processor anyway, or a governor
// already runs. It returns at once; the governing runs in its own
// goroutine. "All processors" is the runtime's choice when it starts,
// which follows a container's CPU limit at that moment; while it governs,
// the runtime no longer follows later changes of that limit.
func Govern(ctx context.Context, getenv func(string) string) {
	max := runtime.GOMAXPROCS(0)
	if getenv("GOMAXPROCS") != "" || max < 2 || !governing.CompareAndSwap(false, true) {
		return
	}
	// One processor first: a server starts idle, and a load that finds
	// it so has all of them one window later.
	runtime.GOMAXPROCS(1)
	go func() {
		defer governing.Store(false)
		run(ctx, &policy{max: max, cur: 1}, cpuTime, runtime.GOMAXPROCS)
	}()
}

// run measures the process's CPU every window and applies the policy.
func run(ctx context.Context, p *policy, cpu func() time.Duration, set func(int) int) {
	t := time.NewTicker(window)
	defer t.Stop()
	last, lastCPU := time.Now(), cpu()
	for {
		select {
		case <-ctx.Done():
			runtime.SetDefaultGOMAXPROCS()
			return
		case now := <-t.C:
			c := cpu()
			busy := float64(c-lastCPU) / float64(now.Sub(last))
			last, lastCPU = now, c
			if n := p.cur; p.next(busy) != n {
				set(p.cur)
			}
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
