package loadtest

import (
	"context"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Load is a run of concurrent simulated respondents.
type Load struct {
	Client  *Client
	Clients int           // concurrent respondents
	Stop    time.Duration // run this long (0: until Jobs runs out)
	// Jobs returns the i-th respondent (i counts from 0), or false when
	// there are no more.
	Jobs func(i int) (Job, bool)
	// Each, when set, sees every outcome (from many goroutines at once).
	Each func(Outcome)
}

// Report is what a run measured.
type Report struct {
	Elapsed  time.Duration
	Stored   int            // acknowledged responses
	ByKind   map[Kind]int   // acknowledged responses per way in
	Errors   int            // jobs that were not acknowledged, or whose thanks page failed
	Thanks   int            // thanks pages loaded after an acknowledged form
	Problems map[string]int // error details, counted
	Total    []time.Duration
	Post     []time.Duration
	// Lag is, for a paced run, how late each arrival started after its
	// scheduled time (sorted): the load generator's own shortfall.
	Lag []time.Duration
}

// tally collects outcomes from many goroutines into a Report.
type tally struct {
	mu  sync.Mutex
	rep *Report
}

func newTally() *tally {
	return &tally{rep: &Report{ByKind: map[Kind]int{}, Problems: map[string]int{}}}
}

// add counts one outcome whose latency, for the report, is total. A stored
// response whose thanks page failed counts as stored (the database holds
// it) and as an error (the respondent saw one).
func (t *tally) add(o Outcome, total time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.rep
	if !o.Stored {
		r.Errors++
		r.Problems[o.Detail]++
		return
	}
	r.Stored++
	r.ByKind[o.Job.Kind]++
	r.Total, r.Post = append(r.Total, total), append(r.Post, o.Post)
	switch {
	case o.ThanksErr != "":
		r.Errors++
		r.Problems[o.ThanksErr]++
	case o.Thanks > 0:
		r.Thanks++
	}
}

// done stamps the elapsed time and sorts the latencies.
func (t *tally) done(start time.Time) *Report {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.rep
	r.Elapsed = time.Since(start)
	slices.Sort(r.Total)
	slices.Sort(r.Post)
	slices.Sort(r.Lag)
	return r
}

// Rate is acknowledged responses per second.
func (r *Report) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Stored) / r.Elapsed.Seconds()
}

// Quantile returns the q-quantile (0..1) of sorted latencies, 0 when none.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(len(sorted)-1, i))]
}

// TopProblems lists the n most frequent error details.
func (r *Report) TopProblems(n int) []string {
	keys := make([]string, 0, len(r.Problems))
	for k := range r.Problems {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if r.Problems[keys[i]] != r.Problems[keys[j]] {
			return r.Problems[keys[i]] > r.Problems[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys[:min(n, len(keys))]
}

// Run drives the respondents until Stop elapses, Jobs runs out or ctx ends.
// A job started before the end always finishes: its outcome counts.
func (l *Load) Run(ctx context.Context) *Report {
	t := newTally()
	var next atomic.Int64
	var deadline time.Time
	start := time.Now()
	if l.Stop > 0 {
		deadline = start.Add(l.Stop)
	}
	var wg sync.WaitGroup
	for range max(1, l.Clients) {
		wg.Go(func() {
			for ctx.Err() == nil && (deadline.IsZero() || time.Now().Before(deadline)) {
				j, ok := l.Jobs(int(next.Add(1) - 1))
				if !ok {
					break
				}
				o := l.Client.Do(ctx, j)
				if l.Each != nil {
					l.Each(o)
				}
				t.add(o, o.Total)
			}
		})
	}
	wg.Wait()
	return t.done(start)
}
