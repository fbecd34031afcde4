package survey

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"
)

func TestSessionExpiry(t *testing.T) {
	st := openTestStore(t, fixedClock())
	ctx := context.Background()
	u, err := st.CreateUser(ctx, NewUser{Email: "a@example.go.id", Role: RoleAdmin, Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	const idle, maxAge = 30 * time.Minute, 2 * time.Hour
	type use struct {
		at    time.Duration
		alive bool
	}
	tests := []struct {
		name string
		uses []use
	}{
		{"fresh", []use{{0, true}}},
		{"idle just under the limit", []use{{29 * time.Minute, true}}},
		{"idle past the limit", []use{{31 * time.Minute, false}, {32 * time.Minute, false}}},
		{"kept alive by use, until the absolute end", []use{{25 * time.Minute, true}, {50 * time.Minute, true}, {75 * time.Minute, true},
			{100 * time.Minute, true}, {119 * time.Minute, true}, {120 * time.Minute, false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := st.CreateSession(ctx, u.ID, t0, maxAge)
			if err != nil {
				t.Fatal(err)
			}
			for _, us := range tc.uses {
				got, err := st.SessionUser(ctx, tok, t0.Add(us.at), idle)
				if us.alive && (err != nil || got.ID != u.ID) {
					t.Fatalf("at %v: %v, want alive", us.at, err)
				}
				if !us.alive && !errors.Is(err, ErrNotFound) {
					t.Fatalf("at %v: %v, want expired", us.at, err)
				}
			}
		})
	}
}

func TestSessionStorageAndLogout(t *testing.T) {
	st := openTestStore(t, fixedClock())
	ctx := context.Background()
	u, _ := st.CreateUser(ctx, NewUser{Email: "a@example.go.id", Role: RoleAdmin, Password: goodPassword})
	now := fixedClock()()
	tok, _ := st.CreateSession(ctx, u.ID, now, time.Hour)
	if len(tok) != 43 {
		t.Errorf("token %d characters, want 43 (32 bytes base64url)", len(tok))
	}
	var stored []byte
	st.r.QueryRow(`SELECT token_hash FROM sessions`).Scan(&stored)
	if bytes.Contains(stored, []byte(tok)) || !bytes.Equal(stored, hashSecret(tok)) {
		t.Error("the session token is not stored as its SHA-256 only")
	}
	if _, err := st.SessionUser(ctx, tok+"x", now, time.Hour); !errors.Is(err, ErrNotFound) {
		t.Errorf("altered token: %v", err)
	}
	if err := st.DeleteSession(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SessionUser(ctx, tok, now, time.Hour); !errors.Is(err, ErrNotFound) {
		t.Errorf("session alive after logout: %v", err)
	}
	st.CreateSession(ctx, u.ID, now, time.Hour)
	st.CreateSession(ctx, u.ID, now.Add(-3*time.Hour), time.Hour)
	if n, err := st.PurgeSessions(ctx, now.Add(time.Minute), 30*time.Minute); err != nil || n != 1 {
		t.Errorf("purged %d (%v), want 1", n, err)
	}
}
