package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"integritas/config"
	"integritas/internal/demo"
)

// TestDemoShowsEveryChannel: `integritas demo` gives a newcomer every
// channel to look at: the invitations of its sample in the outbox (the
// mail sink), a WhatsApp list of experts with phone numbers, and the open
// links with their posters.
func TestDemoShowsEveryChannel(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole demo city")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := testDB(t, "demo.db")
	var out, errOut bytes.Buffer
	cl := &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: envFor(db), now: time.Now}
	if code := cl.run([]string{"demo", "--db", db, "--no-serve"}); code != 0 {
		t.Fatalf("demo: %s", errOut.String())
	}
	// Serve it as `demo` does: no SMTP, so the mail sink.
	cfg := config.Defaults()
	cfg.DB, cfg.Addr, cfg.CookieSecure, cfg.MailSink = db, "127.0.0.1:0", false, true
	must(t, cfg.Validate())
	st, err := openDB(ctx, db)
	must(t, err)
	sctx, stop := context.WithCancel(ctx)
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- serve(sctx, cl, &cfg, st, func(addr string) { ready <- addr }) }()
	var base string
	select {
	case a := <-ready:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("serve: %v", err)
	}
	defer func() { stop(); <-done; st.Close() }()

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(path string) string {
		t.Helper()
		resp, err := c.Get(base + path)
		must(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	admin := demo.Logins[0]
	resp, err := c.PostForm(base+"/login", url.Values{"email": {admin.Email}, "password": {admin.Password}})
	must(t, err)
	resp.Body.Close()

	var outbox string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if outbox = get("/admin/outbox"); strings.Contains(outbox, "/s/") {
			break
		}
	}
	if n := strings.Count(outbox, "Kepada "); n == 0 || !strings.Contains(outbox, "Undangan") || !strings.Contains(outbox, "/s/") {
		t.Fatalf("the demo's outbox holds %d messages and no invitation link:\n%.1500s", n, outbox)
	}
	wa := get("/inspectorate/" + demo.Current + "/whatsapp")
	if rows := regexp.MustCompile(`/inspectorate/`+demo.Current+`/whatsapp/\d+`).FindAllString(wa, -1); len(rows) == 0 {
		t.Fatalf("the demo's WhatsApp list is empty:\n%.1500s", wa)
	}
	links := get("/inspectorate/" + demo.Current + "/openlinks")
	if !strings.Contains(links, "/posters/all.pdf") || !strings.Contains(links, "/r/"+demo.Current+"/DISDUKCAPIL") {
		t.Fatalf("the demo's open links page lacks posters:\n%.1500s", links)
	}
	if pdf := get("/inspectorate/" + demo.Current + "/posters/DISDUKCAPIL.pdf"); !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("poster is not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	if !strings.Contains(out.String(), "Kota demo Kota Sukamaju dibangun") {
		t.Errorf("demo's report is not Indonesian: %s", out.String())
	}
}
