package loadtest

import (
	"context"
	"sync"
	"time"
)

// Paced is an open-loop run: respondents arrive at a fixed rate whatever
// the server's speed, as people do, instead of the next one waiting for the
// last (the closed loop of Load, which finds the maximum but hides how the
// server copes with a given load).
type Paced struct {
	Client   *Client
	Rate     float64       // arrivals per second
	Duration time.Duration // arrivals are scheduled over this long
	// MaxInFlight bounds the respondents in progress at once; an arrival
	// that finds them all busy starts late, and its lateness shows in
	// Report.Lag and in its latency.
	MaxInFlight int
	Jobs        func(i int) (Job, bool)
}

// Run schedules arrival i at start + i/Rate and waits until every started
// respondent has finished. Latency is counted from the scheduled arrival,
// not from the moment the request went out, so that a late start (the
// generator or its connection pool falling behind) is not hidden
// ("coordinated omission").
func (p *Paced) Run(ctx context.Context) *Report {
	t := newTally()
	sem := make(chan struct{}, max(1, p.MaxInFlight))
	n := int(p.Rate*p.Duration.Seconds() + 0.5)
	interval := time.Duration(float64(time.Second) / p.Rate)
	var lags []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		at := start.Add(time.Duration(i) * interval)
		if d := time.Until(at); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			break
		}
		j, ok := p.Jobs(i)
		if !ok {
			break
		}
		sem <- struct{}{}
		lags = append(lags, time.Since(at))
		wg.Go(func() {
			defer func() { <-sem }()
			o := p.Client.Do(ctx, j)
			t.add(o, time.Since(at))
		})
	}
	wg.Wait()
	t.rep.Lag = lags
	return t.done(start)
}
