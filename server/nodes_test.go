package server

import (
	"testing"
	"time"
)

// TestLimitsShareAcrossNodes: with two servers sharing the database, each
// allows half of an address's open-link burst and answers per day, and
// counts its failed logins double, so that the limits hold across both
// behind a balancer that spreads requests.
func TestLimitsShareAcrossNodes(t *testing.T) {
	now := time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)
	nodes := &nodeShare{}
	allowed := func(n int64) (burst, answers int, lockedAfter int) {
		nodes.n.Store(n)
		l, err := newIPLimiter(RateLimit{PerMinute: 60, Burst: 10})
		if err != nil {
			t.Fatal(err)
		}
		l.nodes = nodes
		for burst < 100 {
			if ok, _ := l.allow("10.0.0.1", now); !ok {
				break
			}
			burst++
		}
		g, err := newOpenGuard(6)
		if err != nil {
			t.Fatal(err)
		}
		g.nodes = nodes
		k := addrKey{period: 1, unit: 1, day: "2026-06-15", addr: "10.0.0.1"}
		for answers < 100 && g.reserveAddress(k) {
			answers++
		}
		ll := newLoginLimiter()
		ll.nodes = nodes
		for lockedAfter < 100 && ll.allow("a@example.go.id", "10.0.0.2", now) {
			ll.failed("a@example.go.id", "10.0.0.2", now)
			lockedAfter++
		}
		return
	}
	b1, a1, l1 := allowed(1)
	b2, a2, l2 := allowed(2)
	t.Logf("one server: burst %d, answers %d, locked after %d failures; each of two: %d, %d, %d", b1, a1, l1, b2, a2, l2)
	if b1 != 10 || a1 != 6 || b2 != 5 || a2 != 3 || l1 < 2 || l2 > (l1+1)/2 {
		t.Errorf("one server: burst %d, answers %d, locked after %d; each of two: %d, %d, %d", b1, a1, l1, b2, a2, l2)
	}
	// The count follows the servers alive: back to one, the whole allowance.
	nodes.n.Store(1)
	if (*nodeShare)(nil).get() != 1 || nodes.get() != 1 {
		t.Error("no share, or one server, is not 1")
	}
}
