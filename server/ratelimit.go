package server

import (
	"fmt"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// RateLimit bounds open-link submissions per client address: Burst at once,
// then PerMinute. Zero fields take the defaults; PerMinute < 0 turns the
// limit off (benchmarks). Many respondents can share one address (mobile
// carriers' NAT, an office), so the default is generous: duplicates are
// caught by the device fingerprint, not here.
type RateLimit struct {
	PerMinute float64
	Burst     int
	Clients   int // addresses remembered at most; the least recently seen is forgotten first
}

// Default open-link limits.
const (
	defaultPerMinute = 30
	defaultBurst     = 20
	defaultClients   = 10000
)

// ipLimiter is a token bucket per client address, in memory, in a bounded
// LRU map: an address that keeps coming stays remembered, and a forgotten
// one only gets a fresh (full) bucket. Addresses are never logged or stored.
type ipLimiter struct {
	off     bool
	limit   rate.Limit
	burst   int
	clients *lru.Cache[string, *rate.Limiter]
	nodes   *nodeShare // servers sharing the database: each allows its share
}

func newIPLimiter(l RateLimit) (*ipLimiter, error) {
	if l.PerMinute < 0 {
		return &ipLimiter{off: true}, nil
	}
	if l.PerMinute == 0 {
		l.PerMinute = defaultPerMinute
	}
	if l.Burst <= 0 {
		l.Burst = defaultBurst
	}
	if l.Clients <= 0 {
		l.Clients = defaultClients
	}
	c, err := lru.New[string, *rate.Limiter](l.Clients)
	if err != nil {
		return nil, fmt.Errorf("server: rate limiter: %w", err)
	}
	return &ipLimiter{limit: rate.Limit(l.PerMinute / 60), burst: l.Burst, clients: c}, nil
}

// allow spends one token of the address's bucket; when none is left it
// reports how long until the next one.
func (l *ipLimiter) allow(addr string, now time.Time) (bool, time.Duration) {
	if l.off {
		return true, 0
	}
	n := l.nodes.get()
	limit, burst := l.limit/rate.Limit(n), (l.burst+n-1)/n
	lim, ok := l.clients.Get(addr)
	if !ok {
		fresh := rate.NewLimiter(limit, burst)
		if prev, found, _ := l.clients.PeekOrAdd(addr, fresh); found {
			lim = prev
		} else {
			lim = fresh
		}
	}
	if lim.Limit() != limit { // the number of servers changed
		lim.SetLimitAt(now, limit)
		lim.SetBurstAt(now, burst)
	}
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}
