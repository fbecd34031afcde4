package survey

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLockoutDelay(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{{0, 0}, {4, 0}, {5, time.Minute}, {6, 2 * time.Minute}, {7, 4 * time.Minute}, {9, 16 * time.Minute}, {10, 30 * time.Minute}, {50, 30 * time.Minute}} {
		if got := LockoutDelay(tc.failures); got != tc.want {
			t.Errorf("LockoutDelay(%d) = %v, want %v", tc.failures, got, tc.want)
		}
	}
}

func TestAuthenticateLockout(t *testing.T) {
	st := openTestStore(t, fixedClock())
	ctx := context.Background()
	if _, err := st.CreateUser(ctx, NewUser{Email: "a@example.go.id", Role: RoleAdmin, Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	type step struct {
		at       time.Duration // after now
		password string
		wantRes  LoginResult
		wantErr  error
	}
	steps := []step{
		{0, "wrong-1", LoginWrongPassword, ErrBadCredentials},
		{0, "wrong-2", LoginWrongPassword, ErrBadCredentials},
		{0, "wrong-3", LoginWrongPassword, ErrBadCredentials},
		{0, "wrong-4", LoginWrongPassword, ErrBadCredentials},
		{0, "wrong-5", LoginWrongPassword, ErrBadCredentials}, // locks for 1 minute
		{30 * time.Second, goodPassword, LoginLocked, ErrLockedOut},
		{61 * time.Second, "wrong-6", LoginWrongPassword, ErrBadCredentials}, // locks for 2 minutes
		{2 * time.Minute, goodPassword, LoginLocked, ErrLockedOut},
		{3*time.Minute + 2*time.Second, goodPassword, LoginOK, nil},
		{3*time.Minute + 3*time.Second, "wrong-after-reset", LoginWrongPassword, ErrBadCredentials},
		{3*time.Minute + 4*time.Second, goodPassword, LoginOK, nil}, // one failure does not lock
	}
	for i, s := range steps {
		u, res, err := st.Authenticate(ctx, "A@example.go.id", s.password, now.Add(s.at))
		if res != s.wantRes || !errors.Is(err, s.wantErr) || (s.wantErr == nil && err != nil) {
			t.Fatalf("step %d: result %q err %v, want %q %v", i+1, res, err, s.wantRes, s.wantErr)
		}
		if s.wantErr == nil && (u == nil || u.Email != "a@example.go.id") {
			t.Fatalf("step %d: user %+v", i+1, u)
		}
	}
	_, res, err := st.Authenticate(ctx, "nobody@example.go.id", goodPassword, now)
	if res != LoginUnknownEmail || !errors.Is(err, ErrBadCredentials) {
		t.Errorf("unknown e-mail: %q %v", res, err)
	}
	if err.Error() != ErrBadCredentials.Error() {
		t.Errorf("unknown e-mail answers %q, wrong password %q", err, ErrBadCredentials)
	}
}

func TestSetPasswordLiftsLockAndEndsSessions(t *testing.T) {
	st := openTestStore(t, fixedClock())
	ctx := context.Background()
	u, _ := st.CreateUser(ctx, NewUser{Email: "a@example.go.id", Role: RoleAdmin, Password: goodPassword})
	now := fixedClock()()
	tok, _ := st.CreateSession(ctx, u.ID, now, time.Hour)
	for range LockoutAfter {
		st.Authenticate(ctx, u.Email, "wrong-password", now)
	}
	if _, _, err := st.Authenticate(ctx, u.Email, goodPassword, now); !errors.Is(err, ErrLockedOut) {
		t.Fatalf("not locked: %v", err)
	}
	if err := st.SetPassword(ctx, u.ID, "new-password-123"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Authenticate(ctx, u.Email, "new-password-123", now); err != nil {
		t.Errorf("new password refused: %v", err)
	}
	if _, _, err := st.Authenticate(ctx, u.Email, goodPassword, now); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("old password still works: %v", err)
	}
	if _, err := st.SessionUser(ctx, tok, now, time.Hour); !errors.Is(err, ErrNotFound) {
		t.Errorf("session survived a password reset: %v", err)
	}
	if err := st.SetPassword(ctx, u.ID, "short"); err == nil {
		t.Error("short password accepted")
	}
}
