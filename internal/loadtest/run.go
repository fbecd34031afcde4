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
	Errors   int            // jobs that were not acknowledged
	Problems map[string]int // error details, counted
	Total    []time.Duration
	Post     []time.Duration
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
	rep := &Report{ByKind: map[Kind]int{}, Problems: map[string]int{}}
	var mu sync.Mutex
	var next atomic.Int64
	var deadline time.Time
	start := time.Now()
	if l.Stop > 0 {
		deadline = start.Add(l.Stop)
	}
	var wg sync.WaitGroup
	for range max(1, l.Clients) {
		wg.Go(func() {
			var total, post []time.Duration
			for ctx.Err() == nil && (deadline.IsZero() || time.Now().Before(deadline)) {
				j, ok := l.Jobs(int(next.Add(1) - 1))
				if !ok {
					break
				}
				o := l.Client.Do(ctx, j)
				if l.Each != nil {
					l.Each(o)
				}
				mu.Lock()
				if o.Stored {
					rep.Stored++
					rep.ByKind[j.Kind]++
				} else {
					rep.Errors++
					rep.Problems[o.Detail]++
				}
				mu.Unlock()
				if o.Stored {
					total, post = append(total, o.Total), append(post, o.Post)
				}
			}
			mu.Lock()
			rep.Total, rep.Post = append(rep.Total, total...), append(rep.Post, post...)
			mu.Unlock()
		})
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	slices.Sort(rep.Total)
	slices.Sort(rep.Post)
	return rep
}
