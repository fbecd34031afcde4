package server

import (
	"context"
	"fmt"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"integritas/survey"
)

// openGuard keeps what the open links need between requests, in memory:
// answers per client address, unit and day (the address cap), refusals not
// yet written, and recent arrivals per unit (the spike alert). Client
// addresses are never written anywhere: a keyed hash of an IPv4 address
// could be enumerated by whoever holds the key, so the address cap lives
// here, and a restart forgets it for the day (the device cap, in the
// database, does not).
type openGuard struct {
	addrCap int
	nodes   *nodeShare // servers sharing the database
	addrs   *lru.Cache[addrKey, int]
	addrMu  sync.Mutex

	tallyMu   sync.Mutex
	pending   map[survey.OpenOutcome]int // N unused in the key
	lastFlush time.Time
	lastPrune time.Time
	flushMu   sync.Mutex // one writer of pending counts at a time

	spikes spikeWatch
}

type addrKey struct {
	period, unit int64
	day, addr    string
}

// openAddresses bounds the addresses remembered; the least recently seen
// is forgotten first (and only gets a fresh count).
const openAddresses = 100000

// tallyEvery is how often refusal counts are written at most: a flood of
// refusals must not become a flood of synchronous database writes.
const tallyEvery = 5 * time.Second

func newOpenGuard(addrCap int) (*openGuard, error) {
	c, err := lru.New[addrKey, int](openAddresses)
	if err != nil {
		return nil, fmt.Errorf("server: open-link guard: %w", err)
	}
	return &openGuard{addrCap: addrCap, addrs: c, pending: map[survey.OpenOutcome]int{}, spikes: spikeWatch{units: map[[2]int64]*arrivals{}}}, nil
}

// reserveAddress counts one more answer for the address at the unit today,
// or reports false when the address reached the cap. A failed submission
// gives its place back (releaseAddress).
func (g *openGuard) reserveAddress(k addrKey) bool {
	if g.addrCap <= 0 {
		return true
	}
	g.addrMu.Lock()
	defer g.addrMu.Unlock()
	n, _ := g.addrs.Get(k)
	if n*g.nodes.get() >= g.addrCap { // this server's count is its share of the address's
		return false
	}
	g.addrs.Add(k, n+1)
	return true
}

func (g *openGuard) releaseAddress(k addrKey) {
	if g.addrCap <= 0 {
		return
	}
	g.addrMu.Lock()
	defer g.addrMu.Unlock()
	if n, ok := g.addrs.Get(k); ok && n > 0 {
		g.addrs.Add(k, n-1)
	}
}

// refuse counts one refused submission; the counts reach the database at
// most every tallyEvery (and whenever someone reads them).
func (g *openGuard) refuse(st *survey.Store, periodID, unitID int64, now time.Time, outcome string) {
	k := survey.OpenOutcome{PeriodID: periodID, UnitID: unitID, Day: now.UTC().Format(time.DateOnly), Outcome: outcome}
	g.tallyMu.Lock()
	g.pending[k]++
	due := now.Sub(g.lastFlush) >= tallyEvery
	g.tallyMu.Unlock()
	if due {
		g.flush(context.Background(), st, now)
	}
}

// flush writes the pending refusal counts (and, every hour, prunes the
// nonces of expired forms). Counts that fail to write are kept for the
// next flush.
func (g *openGuard) flush(ctx context.Context, st *survey.Store, now time.Time) error {
	g.flushMu.Lock()
	defer g.flushMu.Unlock()
	g.tallyMu.Lock()
	batch := make([]survey.OpenOutcome, 0, len(g.pending))
	for k, n := range g.pending {
		k.N = n
		batch = append(batch, k)
	}
	clear(g.pending)
	g.lastFlush = now
	prune := now.Sub(g.lastPrune) >= time.Hour
	if prune {
		g.lastPrune = now
	}
	g.tallyMu.Unlock()
	if err := st.AddOpenOutcomes(ctx, batch); err != nil {
		g.tallyMu.Lock()
		for _, o := range batch {
			n := o.N
			o.N = 0
			g.pending[o] += n
		}
		g.tallyMu.Unlock()
		return err
	}
	if prune {
		if _, err := st.PruneOpenNonces(ctx, now); err != nil {
			return err
		}
	}
	return nil
}
