package survey

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestTokensExpire: an API token works until its expiry and not after it
// (tokens used to live for ever); lifetimes outside a day to MaxTokenTTL
// are refused; a token row without an expiry does not work; the list
// shows each token's expiry and last use.
func TestTokensExpire(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if _, err := st.CreateUser(ctx, NewUser{Email: "scraper@example.go.id", Role: RoleAdmin, Password: "kata-sandi-panjang"}); err != nil {
		t.Fatal(err)
	}
	tok, info, err := st.CreateTokenTTL(ctx, "scraper@example.go.id", "prometheus", 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := testClock.Add(7 * 24 * time.Hour).UTC().Truncate(time.Second); !info.Expires.Equal(want) {
		t.Errorf("expires %v, want %v", info.Expires, want)
	}
	for _, c := range []struct {
		at   time.Duration
		live bool
	}{{0, true}, {7*24*time.Hour - time.Second, true}, {7 * 24 * time.Hour, false}, {30 * 24 * time.Hour, false}} {
		_, err := st.TokenUser(ctx, tok, testClock.Add(c.at))
		if live := err == nil; live != c.live || (!live && !errors.Is(err, ErrNotFound)) {
			t.Errorf("after %v: err %v, want live %v", c.at, err, c.live)
		}
	}
	var ae *AccountError
	for _, ttl := range []time.Duration{0, time.Hour, MaxTokenTTL + time.Hour} {
		if _, _, err := st.CreateTokenTTL(ctx, "scraper@example.go.id", "x", ttl); !errors.As(err, &ae) || ae.Field != "expires" {
			t.Errorf("lifetime %v: %v", ttl, err)
		}
	}
	def, dinfo, err := st.CreateToken(ctx, "scraper@example.go.id", "default")
	if err != nil || !dinfo.Expires.Equal(testClock.Add(DefaultTokenTTL).UTC().Truncate(time.Second)) {
		t.Fatalf("default lifetime: %+v, %v", dinfo, err)
	}
	// A row without an expiry (none should exist after migration 0015)
	// does not work.
	if _, err := st.w.Exec(`UPDATE api_tokens SET expires_at = NULL WHERE id = ?`, dinfo.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TokenUser(ctx, def, testClock); !errors.Is(err, ErrNotFound) {
		t.Errorf("a token without an expiry works: %v", err)
	}
	ts, err := st.Tokens(ctx, "scraper@example.go.id")
	if err != nil || len(ts) != 2 {
		t.Fatalf("tokens %+v, %v", ts, err)
	}
	if ts[0].Expired(testClock) || !ts[0].Expired(testClock.Add(8*24*time.Hour)) || ts[0].LastUsed.IsZero() || !ts[1].Expired(testClock) {
		t.Errorf("listed: %+v", ts)
	}
}
