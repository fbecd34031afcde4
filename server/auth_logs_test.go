package server

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestLogsHoldNoSecrets signs in, uses a token and opens a path holding a
// token-like value, then reads every log line the server wrote.
func TestLogsHoldNoSecrets(t *testing.T) {
	e := newTestEnv(t)
	var logs lockedBuffer
	srv, err := New(Options{Store: e.store, Config: e.srv.cfg, Now: e.srv.now,
		Log: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	must(t, err)
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	e.http = hs
	e.srv = srv
	session := e.loginAs("admin")
	token := e.tokenAs("analyst")
	e.send("POST", "/login", form("email", "admin@example.go.id", "password", "wrong-secret-password"), nil)
	e.send("POST", "/login", form("email", "typed-password-in-email", "password", "another-secret"), nil)
	e.send("GET", "/api/v1/me", "", token)
	e.send("GET", "/admin/users", "", session)
	e.send("GET", "/i/invitation-secret-abc?t=query-secret", "", nil)
	e.send("POST", "/logout", "", session)
	out := logs.String()
	if !strings.Contains(out, `"route":"/login"`) || !strings.Contains(out, `"route":"/api/v1/me"`) {
		t.Fatalf("expected request lines by route pattern; got %.500s", out)
	}
	secrets := []string{testPassword, "wrong-secret-password", "another-secret", "typed-password-in-email",
		strings.TrimPrefix(token["Authorization"], "Bearer "), strings.SplitN(session["Cookie"], "=", 2)[1],
		"invitation-secret-abc", "query-secret"}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("the logs hold a secret %q", s)
		}
	}
}
