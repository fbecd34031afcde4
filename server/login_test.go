package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"integritas/survey"
)

// testClock is a clock the test moves; install it with e.srv.now = clk.Now
// before the first request.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func withClock(e *testEnv) *testClock {
	clk := &testClock{t: e.now}
	e.srv.now = clk.Now
	return clk
}

func TestLoginAnswers(t *testing.T) {
	e := newTestEnv(t)
	known := e.accountFor("analyst")
	off := e.accountFor("inspector")
	must(t, e.store.SetUserDisabled(context.Background(), off.ID, true))
	failed := "Alamat e-mail atau kata sandi salah."
	e.run([]scenario{
		{name: "form", path: "/login", wantStatus: 200, want: []string{`name="email"`, `name="password"`, `action="/login"`, `lang="id"`}},
		{name: "form in English", path: "/login?lang=en", wantStatus: 200, want: []string{"Log in", "Password"}},
		{name: "missing password", method: "POST", path: "/login", body: form("email", known.Email), wantStatus: 400, want: []string{"Isi alamat e-mail dan kata sandi."}},
		{name: "wrong password", method: "POST", path: "/login", body: form("email", known.Email, "password", "salah-sekali-123"), wantStatus: 401, want: []string{failed}},
		{name: "unknown e-mail", method: "POST", path: "/login", body: form("email", "nobody@example.go.id", "password", "salah-sekali-123"), wantStatus: 401, want: []string{failed}},
		{name: "disabled account, right password", method: "POST", path: "/login", body: form("email", off.Email, "password", testPassword), wantStatus: 401, want: []string{failed}},
		{name: "wrong password in English", method: "POST", path: "/login?lang=en", body: form("email", known.Email, "password", "x-wrong-x-wrong"), wantStatus: 401, want: []string{"Wrong e-mail address or password."}},
	})
	// The answers differ in nothing but the e-mail typed back into the form.
	_, wrong, _ := e.do("POST", "/login", form("email", known.Email, "password", "salah-sekali-123"), nil)
	_, unknown, _ := e.do("POST", "/login", form("email", "nobody@example.go.id", "password", "salah-sekali-123"), nil)
	_, disabled, _ := e.do("POST", "/login", form("email", off.Email, "password", testPassword), nil)
	norm := func(body, email string) string { return strings.ReplaceAll(body, email, "EMAIL") }
	if norm(wrong, known.Email) != norm(unknown, "nobody@example.go.id") || norm(wrong, known.Email) != norm(disabled, off.Email) {
		t.Error("wrong password, unknown e-mail and disabled account get different answers")
	}
	for _, body := range []string{wrong, unknown} {
		if strings.Contains(body, "salah-sekali-123") {
			t.Error("the password typed is sent back in the page")
		}
	}
}

func TestLoginRedirectAndCookie(t *testing.T) {
	e := newTestEnv(t)
	u := e.accountFor("admin")
	tests := []struct{ next, want string }{
		{"", "/"},
		{"/admin/users", "/admin/users"},
		{"/admin/audit?action=auth.&page=2", "/admin/audit?action=auth.&page=2"},
		{"//evil.example/x", "/"},
		{"https://evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/login", "/"},
	}
	for _, tc := range tests {
		t.Run("next="+tc.next, func(t *testing.T) {
			resp, body := e.send("POST", "/login", form("email", u.Email, "password", testPassword, "next", tc.next), nil)
			if resp.StatusCode != 303 || resp.Header.Get("Location") != tc.want {
				t.Fatalf("status %d location %q, want 303 %q; %.200s", resp.StatusCode, resp.Header.Get("Location"), tc.want, body)
			}
		})
	}
	resp, _ := e.send("POST", "/login", form("email", u.Email, "password", testPassword), nil)
	checkCookie(t, resp, "integritas_session", false)
	// The login form carries next, and a signed-in visitor is sent on.
	_, page := e.send("GET", "/login?next=/admin/periods", "", nil)
	if !strings.Contains(page, `name="next" value="/admin/periods"`) {
		t.Error("the form does not carry next")
	}
	r, _ := e.send("GET", "/login?next=/admin/periods", "", e.loginAs("admin"))
	if r.StatusCode != 303 || r.Header.Get("Location") != "/admin/periods" {
		t.Errorf("signed-in visitor on /login: %d %q", r.StatusCode, r.Header.Get("Location"))
	}

	// With Secure cookies (production), the cookie is Secure and __Host-.
	cfg := e.srv.cfg
	cfg.CookieSecure = true
	srv, err := New(Options{Store: e.store, Config: cfg, Now: e.srv.now})
	must(t, err)
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	client := hs.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err = client.PostForm(hs.URL+"/login", map[string][]string{"email": {u.Email}, "password": {testPassword}})
	must(t, err)
	resp.Body.Close()
	checkCookie(t, resp, "__Host-integritas_session", true)
}

func checkCookie(t *testing.T, resp *http.Response, name string, secure bool) {
	t.Helper()
	for _, ck := range resp.Cookies() {
		if ck.Name != name {
			continue
		}
		if len(ck.Value) != 43 || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure != secure || ck.Domain != "" {
			t.Errorf("cookie %+v: want a 43-character token, HttpOnly, SameSite=Lax, Path=/, host-only, Secure=%v", ck, secure)
		}
		return
	}
	t.Errorf("no %s cookie in %v", name, resp.Header["Set-Cookie"])
}

func TestLoginLockout(t *testing.T) {
	e := newTestEnv(t)
	clk := withClock(e)
	u := e.accountFor("admin")
	post := func(email, pw string) (int, string) {
		resp, body := e.send("POST", "/login", form("email", email, "password", pw), nil)
		return resp.StatusCode, strings.ReplaceAll(body, email, "EMAIL")
	}
	locked := "Terlalu banyak percobaan masuk yang gagal."
	var knownLocked, unknownLocked string
	for _, email := range []string{u.Email, "nobody@example.go.id"} {
		for i := range survey.LockoutAfter {
			if code, _ := post(email, "wrong-password-"+string(rune('a'+i))); code != 401 {
				t.Fatalf("%s failure %d: status %d, want 401", email, i+1, code)
			}
		}
		code, body := post(email, testPassword)
		if code != 429 || !strings.Contains(body, locked) {
			t.Fatalf("%s after %d failures: status %d, want 429 %q", email, survey.LockoutAfter, code, locked)
		}
		if email == u.Email {
			knownLocked = body
		} else {
			unknownLocked = body
		}
	}
	if knownLocked != unknownLocked {
		t.Error("a locked real account and a locked unknown e-mail answer differently")
	}
	clk.Add(30 * time.Second)
	if code, _ := post(u.Email, testPassword); code != 429 {
		t.Errorf("still locked after 30 s: status %d", code)
	}
	clk.Add(31 * time.Second)
	// Signed in, and told of the failures before going on (issue 13).
	if code, body := post(u.Email, testPassword); code != 200 || !strings.Contains(body, "ada 5 percobaan masuk") {
		t.Errorf("after the back-off the right password: status %d, want 200 with the failed attempts told", code)
	}
}

func TestLoginThrottlePerAddress(t *testing.T) {
	e := newTestEnv(t)
	clk := withClock(e)
	u := e.accountFor("analyst")
	for i := range ipLockoutAfter {
		clk.Add(2 * time.Second) // keep within the request rate: only failures count here
		resp, _ := e.send("POST", "/login", form("email", "spray"+string(rune('a'+i))+"@example.go.id", "password", "wrong-password"), nil)
		if resp.StatusCode != 401 {
			t.Fatalf("failure %d: status %d", i+1, resp.StatusCode)
		}
	}
	clk.Add(2 * time.Second)
	if resp, _ := e.send("POST", "/login", form("email", u.Email, "password", testPassword), nil); resp.StatusCode != 429 {
		t.Errorf("after %d failures from one address: status %d, want 429", ipLockoutAfter, resp.StatusCode)
	}
	clk.Add(2 * time.Minute)
	if resp, _ := e.send("POST", "/login", form("email", u.Email, "password", testPassword), nil); resp.StatusCode != 303 {
		t.Errorf("after the back-off: status %d, want 303", resp.StatusCode)
	}
	// The request rate alone: a burst of posts without waiting.
	for i := 0; ; i++ {
		resp, _ := e.send("POST", "/login", form("email", u.Email, "password", testPassword), nil)
		if resp.StatusCode == 429 {
			if i < ipLoginBurst-2 {
				t.Errorf("throttled after %d posts, want about %d", i, ipLoginBurst)
			}
			break
		}
		if i > ipLoginBurst+1 {
			t.Fatalf("%d posts in no time were not throttled", i)
		}
	}
}

func TestSessionExpiryOverHTTP(t *testing.T) {
	e := newTestEnv(t)
	clk := withClock(e)
	e.srv.cfg.SessionIdle = 30 * time.Minute
	e.srv.cfg.SessionMax = 2 * time.Hour
	get := func(h map[string]string) *http.Response {
		resp, _ := e.send("GET", "/admin/users", "", h)
		return resp
	}
	h := e.loginAs("admin")
	for _, step := range []struct {
		wait   time.Duration
		status int
	}{{29 * time.Minute, 200}, {29 * time.Minute, 200}, {31 * time.Minute, 303}, {0, 303}} {
		clk.Add(step.wait)
		if resp := get(h); resp.StatusCode != step.status {
			t.Fatalf("idle: after %v status %d, want %d", step.wait, resp.StatusCode, step.status)
		} else if step.status == 303 && step.wait > 0 {
			if loc := resp.Header.Get("Location"); loc != "/login?next=%2Fadmin%2Fusers" {
				t.Errorf("expired session redirected to %q", loc)
			}
			cleared := false
			for _, ck := range resp.Cookies() {
				cleared = cleared || (ck.Name == e.srv.sessionCookie() && ck.MaxAge < 0)
			}
			if !cleared {
				t.Error("the dead session's cookie is not cleared")
			}
		}
	}
	h = e.loginAs("admin")
	for used := 25 * time.Minute; used < 2*time.Hour; used += 25 * time.Minute {
		clk.Add(25 * time.Minute)
		if resp := get(h); resp.StatusCode != 200 {
			t.Fatalf("absolute: at %v status %d, want 200", used, resp.StatusCode)
		}
	}
	clk.Add(20 * time.Minute) // 2 h 5 min after login, used 20 min ago
	if resp := get(h); resp.StatusCode != 303 {
		t.Errorf("past the absolute expiry: status %d, want 303", resp.StatusCode)
	}
}

func TestLogoutRevokes(t *testing.T) {
	e := newTestEnv(t)
	h := e.loginAs("inspector")
	u := e.accountFor("inspector")
	resp, _ := e.send("POST", "/logout", "", h)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if n, _ := e.store.SessionCount(context.Background(), u.ID); n != 0 {
		t.Errorf("%d sessions left after logout", n)
	}
	// The old cookie, replayed, no longer opens anything.
	if resp, _ := e.send("GET", "/admin/periods", "", h); resp.StatusCode != 303 {
		t.Errorf("replayed cookie after logout: status %d, want 303", resp.StatusCode)
	}
	if resp, _ := e.send("POST", "/logout", "", nil); resp.StatusCode != 303 {
		t.Errorf("anonymous logout: %d", resp.StatusCode)
	}
	// A session planted before login is ended, not promoted (fixation).
	planted := e.loginAs("inspector")
	resp, _ = e.send("POST", "/login", form("email", u.Email, "password", testPassword), planted)
	if resp.StatusCode != 303 {
		t.Fatal(resp.StatusCode)
	}
	if r, _ := e.send("GET", "/admin/periods", "", planted); r.StatusCode != 303 {
		t.Errorf("the session from before the login still works: %d", r.StatusCode)
	}
}
