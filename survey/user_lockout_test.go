package survey

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestAttackerCannotLockOwnerOut: wrong passwords sent from the attacker's
// address used to lock the account itself for up to 30 minutes, right
// password included, from anywhere. Now the lock is per (account,
// address): the owner signs in from their usual address throughout, is told
// of the failed attempts, and their own typos never lock them for long.
func TestAttackerCannotLockOwnerOut(t *testing.T) {
	st := openTestStore(t, fixedClock())
	ctx := context.Background()
	if _, err := st.CreateUser(ctx, NewUser{Email: "kepala@example.go.id", Role: RoleAdmin, Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	const owner, attacker = "10.1.2.3", "203.0.113.9"
	if _, _, err := st.AuthenticateFrom(ctx, "kepala@example.go.id", goodPassword, owner, now); err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		_, _, err := st.AuthenticateFrom(ctx, "kepala@example.go.id", "guess-"+string(rune('a'+i%26)), attacker, now.Add(time.Duration(i)*time.Second))
		if !errors.Is(err, ErrBadCredentials) && !errors.Is(err, ErrLockedOut) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, res, _ := st.AuthenticateFrom(ctx, "kepala@example.go.id", goodPassword, attacker, now.Add(time.Minute)); res != LoginLocked {
		t.Errorf("the attacker's address is not locked: %q", res)
	}
	u, res, err := st.AuthenticateFrom(ctx, "kepala@example.go.id", goodPassword, owner, now.Add(time.Minute))
	if err != nil || res != LoginOK {
		t.Fatalf("owner kept out by the attacker: %q %v", res, err)
	}
	if u.FailedLogins == 0 {
		t.Errorf("owner not told of the failed attempts: %+v", u)
	}
	if u, _, _ := st.AuthenticateFrom(ctx, "kepala@example.go.id", goodPassword, owner, now.Add(2*time.Minute)); u == nil || u.FailedLogins != 0 {
		t.Errorf("failed attempts told twice: %+v", u)
	}
	// The owner's own typos from a known address: at most a short delay.
	at := now.Add(10 * time.Minute)
	for range 12 {
		st.AuthenticateFrom(ctx, "kepala@example.go.id", "typo", owner, at)
	}
	if _, res, _ := st.AuthenticateFrom(ctx, "kepala@example.go.id", goodPassword, owner, at.Add(knownAddressMax+time.Second)); res != LoginOK {
		t.Errorf("known address locked beyond %v: %q", knownAddressMax, res)
	}
}
