package loadtest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"integritas/survey"
)

// Submissions builds, without any HTTP, the rows that n respondents of the
// mix would store: the same answers, validated by the same
// Instrument.ParseAnswers, with token hashes for invitations and device
// fingerprints for open links. units maps unit codes to ids (UnitIDs).
func (m *Mix) Submissions(n int, units map[string]int64) ([]*survey.Submission, error) {
	in := m.Fixture.Period.Instrument
	out := make([]*survey.Submission, 0, n)
	for i := range n {
		j, ok := m.Job(i)
		if !ok {
			break
		}
		typ := j.Type
		ans := answers(in, typ, rand.New(rand.NewPCG(j.Seed, 0x5eed)), j.Marker)
		a, probs := in.ParseAnswers(typ, ans)
		if len(probs) > 0 {
			return nil, fmt.Errorf("loadtest: generated answers refused: %v", probs)
		}
		sub := &survey.Submission{Response: survey.NewResponse{PeriodID: m.Fixture.Period.ID, Type: typ, Duration: 300, Lang: "id", Answers: a}}
		if j.Kind.Invitation() {
			h, err := survey.TokenHash(j.Token)
			if err != nil {
				return nil, err
			}
			sub.TokenHash, sub.Response.Channel = h, survey.ChannelInvitation
		} else {
			dev := sha256.Sum256([]byte(j.Addr))
			sub.Response.Channel, sub.Response.DeviceHash = survey.ChannelOpen, dev[:]
		}
		sub.Response.UnitID = units[j.Unit]
		out = append(out, sub)
	}
	return out, nil
}

// UnitIDs maps the period's unit codes to their ids.
func UnitIDs(ctx context.Context, st *survey.Store, periodID int64) (map[string]int64, error) {
	units, err := st.Units(ctx, periodID)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]int64, len(units))
	for _, u := range units {
		ids[u.Code] = u.ID
	}
	return ids, nil
}

// RawCommitter is the store's own limit for these submissions: writers
// goroutines hand them to a committer of their own (group commit, one
// fsync per batch, synchronous=FULL) with no HTTP, no page and no parsing
// in the way. It returns responses stored per second.
func RawCommitter(ctx context.Context, st *survey.Store, subs []*survey.Submission, writers int) (float64, error) {
	c, err := st.NewCommitter(ctx)
	if err != nil {
		return 0, err
	}
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	start := time.Now()
	var wg sync.WaitGroup
	for range max(1, writers) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(subs) {
					return
				}
				if err := c.Submit(ctx, subs[i]); err != nil {
					once.Do(func() { firstErr = err })
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := c.Close(); err != nil && firstErr == nil {
		firstErr = err
	}
	if firstErr != nil {
		return 0, fmt.Errorf("loadtest: raw limit: %w", firstErr)
	}
	return float64(len(subs)) / elapsed.Seconds(), nil
}

// RawBulk is the insert rate of the same responses written batch at a time
// in one transaction each (Store.InsertResponses), as an import does: the
// most SQLite does for these rows on this disk.
func RawBulk(ctx context.Context, st *survey.Store, subs []*survey.Submission, batch int) (float64, error) {
	rs := make([]survey.NewResponse, len(subs))
	now := time.Now()
	for i, s := range subs {
		rs[i] = s.Response
		rs[i].Submitted = now
	}
	start := time.Now()
	for len(rs) > 0 {
		n := min(batch, len(rs))
		if err := st.InsertResponses(ctx, rs[:n]); err != nil {
			return 0, fmt.Errorf("loadtest: bulk insert: %w", err)
		}
		rs = rs[n:]
	}
	return float64(len(subs)) / time.Since(start).Seconds(), nil
}

// rawLimits measures the committer alone and bulk inserts on fresh
// databases in dir, for n responses of the same mix.
func rawLimits(ctx context.Context, dir string, o BenchOptions, n int) (commit, bulk float64, err error) {
	for _, name := range []string{"raw-commit", "raw-bulk"} {
		db, key, drop, err := scratchDB(ctx, o, dir, name)
		if err != nil {
			return 0, 0, err
		}
		st, err := survey.Open(ctx, db, survey.WithKeyFile(key))
		if err != nil {
			drop()
			return 0, 0, err
		}
		rate, err := rawOnce(ctx, st, o, n, name == "raw-bulk")
		st.Close()
		drop()
		if err != nil {
			return 0, 0, err
		}
		if name == "raw-bulk" {
			bulk = rate
		} else {
			commit = rate
		}
	}
	return commit, bulk, nil
}

func rawOnce(ctx context.Context, st *survey.Store, o BenchOptions, n int, bulk bool) (float64, error) {
	// Bulk inserts mark no invitation, but draw the same respondents.
	fx, err := Prepare(ctx, st, "RAW", o.Units, int(math.Ceil(float64(n)*o.Mix))+1)
	if err != nil {
		return 0, err
	}
	ids, err := UnitIDs(ctx, st, fx.Period.ID)
	if err != nil {
		return 0, err
	}
	mix := &Mix{Fixture: fx, Invitation: o.Mix, Seed: o.Seed}
	subs, err := mix.Submissions(n, ids)
	if err != nil {
		return 0, err
	}
	if bulk {
		return RawBulk(ctx, st, subs, 500)
	}
	return RawCommitter(ctx, st, subs, o.Clients)
}
