package survey_test

import (
	"context"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"integritas/survey"
)

// BenchmarkCommitter measures the writer alone: 64 goroutines submitting
// invitation and open-link responses (with two free-text answers each),
// through the pool as shipped (sealed, released in batches once 2k wait).
func BenchmarkCommitter(b *testing.B) {
	c, hashes, newResponse := committerBench(b, b.N/2+1)
	ctx := context.Background()
	var next atomic.Int64
	cpu0 := cpuTime()
	b.ResetTimer()
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				sub := &survey.Submission{Response: newResponse(survey.ChannelOpen)}
				if i%2 == 0 {
					sub.TokenHash = hashes[i/2]
					sub.Response.Channel = survey.ChannelInvitation
				}
				if err := c.Submit(ctx, sub); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	cpu := cpuTime() - cpu0
	st := c.Stats()
	b.ReportMetric(float64(st.Stored)/float64(st.Batches), "responses/commit")
	// The process's CPU per answer, which unlike ns/op barely depends on
	// what else the machine runs.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu_µs/answer")
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCommitterLone measures the writer for one respondent at a time:
// each submission finds the writer idle, as at a light load.
func BenchmarkCommitterLone(b *testing.B) {
	c, hashes, newResponse := committerBench(b, b.N+1)
	ctx := context.Background()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		sub := &survey.Submission{TokenHash: hashes[i], Response: newResponse(survey.ChannelInvitation)}
		if err := c.Submit(ctx, sub); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu_µs/answer")
}

// committerBench is the committers' benchmark setup: a committer over a
// fresh fixture, the token hashes of invitations to unit A, and a maker
// of an internal response to unit A (with two free-text answers) through
// a channel.
func committerBench(b *testing.B, invitations int) (*survey.Committer, [][]byte, func(channel string) survey.NewResponse) {
	f := newFixtureWith(b)
	c := newCommitter(b, f)
	toks := f.invite(b, "A", survey.Internal, invitations)
	uA, _ := f.st.Unit(context.Background(), f.p.ID, "A")
	a, _ := f.p.Instrument.ParseAnswers(survey.Internal, map[string]string{"T01": "4", "SOS01": "3", "SOS02": "5", "X01": "lebih cepat", "X02": "biaya diumumkan"})
	hashes := make([][]byte, len(toks))
	for i, t := range toks {
		hashes[i], _ = survey.TokenHash(t.Token)
	}
	return c, hashes, func(channel string) survey.NewResponse {
		return survey.NewResponse{PeriodID: f.p.ID, UnitID: uA.ID, Type: survey.Internal, Channel: channel, Duration: 300, Answers: a}
	}
}
