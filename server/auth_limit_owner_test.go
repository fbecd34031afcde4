package server

import (
	"testing"
	"time"
)

// TestLimiterAttackerDoesNotHoldOwner: the in-memory throttle counted
// failures per e-mail, so wrong passwords from any address held back the
// owner's own address too. It now counts per (e-mail, address).
func TestLimiterAttackerDoesNotHoldOwner(t *testing.T) {
	l := newLoginLimiter()
	now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	for i := range 15 {
		l.failed("kepala@example.go.id", "203.0.113.9", now.Add(time.Duration(i)*time.Second))
	}
	at := now.Add(20 * time.Second)
	if l.allow("kepala@example.go.id", "203.0.113.9", at) {
		t.Error("the attacker's address is not held back")
	}
	if !l.allow("kepala@example.go.id", "10.1.2.3", at) {
		t.Error("the owner's address is held back by the attacker's failures")
	}
}
