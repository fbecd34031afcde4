package survey

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	st := openTestStore(t, fixedClock())
	ctx := context.Background()
	u, _ := st.CreateUser(ctx, NewUser{Email: "a@example.go.id", Role: RoleAnalyst, Password: goodPassword})
	now := fixedClock()()
	tok, info, err := st.CreateToken(ctx, "A@example.go.id", "laporan")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, TokenPrefix) || len(tok) != len(TokenPrefix)+43 || info.Name != "laporan" {
		t.Errorf("token %q info %+v", tok, info)
	}
	var n int
	st.r.QueryRow(`SELECT count(*) FROM api_tokens WHERE token_hash = ?`, hashSecret(tok)).Scan(&n)
	if n != 1 {
		t.Error("token hash not stored")
	}
	got, err := st.TokenUser(ctx, tok, now)
	if err != nil || got.ID != u.ID {
		t.Fatalf("TokenUser: %v %v", got, err)
	}
	ts, _ := st.Tokens(ctx, "")
	if len(ts) != 1 || ts[0].LastUsed.IsZero() {
		t.Errorf("tokens %+v: last use not recorded", ts)
	}
	for _, bad := range []string{"", "itg_", tok[:len(tok)-1], strings.TrimPrefix(tok, TokenPrefix)} {
		if _, err := st.TokenUser(ctx, bad, now); !errors.Is(err, ErrNotFound) {
			t.Errorf("token %q accepted: %v", bad, err)
		}
	}
	st.SetUserDisabled(ctx, u.ID, true)
	if _, err := st.TokenUser(ctx, tok, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("token of a disabled user accepted: %v", err)
	}
	st.SetUserDisabled(ctx, u.ID, false)
	if err := st.RevokeToken(ctx, info.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TokenUser(ctx, tok, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked token accepted: %v", err)
	}
	if err := st.RevokeToken(ctx, info.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second revoke: %v", err)
	}
	if _, _, err := st.CreateToken(ctx, "nobody@example.go.id", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("token for an unknown account: %v", err)
	}
}
