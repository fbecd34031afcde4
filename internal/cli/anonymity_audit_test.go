package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"integritas/config"
	"integritas/internal/loadtest"
	"integritas/survey"
)

// TestAnonymityAudit runs a whole survey cycle through the real parts —
// the CLI, the server (serve(), logging JSON as in production, behind a
// trusted proxy that names each respondent's address), e-mail to a real
// SMTP server — and then searches every row of every table, every log
// line, every export and every packet for anything that could join a
// response to an invitation, a roster row or an address (spi-method.md
// §8): tokens and their hashes, respondents' addresses, browsers and
// device cookies, roster names, e-mails and phones, device fingerprints,
// times finer than the hour beside a response, and the words of a deleted
// draft left in the database file.
//
// The cycle: import units and a roster, invite from the roster (printed
// links) and by sampling (e-mailed links), answer by invitation (form
// with a saved draft, and API) and by open link (form with a device
// cookie, and API), remind the rest by e-mail and answer one reminder,
// export results and answers (CSV, XLSX; pages and CLI), build packets
// and mail them.
func TestAnonymityAudit(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	db := filepath.Join(dir, "anon.db")
	sink := newSMTPSink(t)
	a := newAudit()

	// The Inspectorate prepares the period from the command line.
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	units := write("units.csv", "code,name,parent_code,head_email,internal_population,external_population,expert_population\n"+
		"DINKES,Dinas Kesehatan,,kadinkes@pemda.example.go.id,40,5000,5\nDISDIK,Dinas Pendidikan,,kadisdik@pemda.example.go.id,40,8000,5\n"+
		"DISDUK,Dinas Kependudukan,,kadisduk@pemda.example.go.id,30,9000,5\n")
	var roster strings.Builder
	roster.WriteString("unit,type,name,email,phone,grade,years_institution,years_unit,role\n")
	for i := 1; i <= 24; i++ {
		unit, typ := []string{"DINKES", "DISDIK"}[i%2], "internal"
		if i > 20 {
			typ = "expert"
		}
		p := a.person(i)
		fmt.Fprintf(&roster, "%s,%s,%s,%s,%s,III,%d,3,\n", unit, typ, p.name, p.email, p.phone, 4+i%9)
	}
	for _, args := range [][]string{
		{"period", "create", "--code", "ANON", "--name", "SPI Anonimitas"},
		{"import", "units", "--period", "ANON", units},
		{"import", "roster", "--period", "ANON", write("roster.csv", roster.String())},
		{"period", "open", "--period", "ANON"},
	} {
		cliOK(t, append(args, "--db", db)...)
	}
	for _, role := range []string{"admin", "inspector", "analyst"} {
		if code, _, errOut := runCLI(t, "kata-sandi-audit-123\n", "user", "add", "--db", db, "--email", role+"@pemda.example.go.id", "--role", role); code != 0 {
			t.Fatal(errOut)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(cliOK(t, "invite", "--db", db, "--period", "ANON", "--unit", "DINKES", "--type", "internal", "--from-roster")), "\n") {
		a.addTokens(line)
	}
	if len(a.tokens) < 8 {
		t.Fatalf("%d links printed for the DINKES roster", len(a.tokens))
	}
	printed := append([]string(nil), a.tokens...)

	// The server, as `integritas serve` runs it.
	srv := startServe(t, ctx, db, sink.port, a.logs)
	insp, analyst, admin := srv.login(t, "inspector"), srv.login(t, "analyst"), srv.login(t, "admin")
	srv.post(t, insp, "/inspectorate/ANON/sampling", url.Values{"margin": {"10"}, "seed": {"7"}, "type": {"internal", "expert"}, "unit": {"DISDIK"}, "invite": {"1"}, "lang": {"id"}}, 303)
	mailed := a.waitMail(t, sink, 1)

	c := loadtest.NewClient(srv.url, nil, 4)
	c.Instrument = srv.instrument(t, db)
	n := 0
	respond := func(j loadtest.Job) {
		n++
		j.Marker, j.Addr, j.Seed = fmt.Sprintf("JAWABAN-RAHASIA-%02d", n), fmt.Sprintf("203.0.113.%d", 10+n), uint64(n)
		c.UserAgent = fmt.Sprintf("AuditPhone/%d.0 (Android 14; perangkat-%02d)", n, n)
		a.respondent(j.Addr, c.UserAgent, j.Marker)
		if o := c.Do(ctx, j); !o.Stored {
			t.Fatalf("respondent %d (%s): %s", n, j.Kind, o.Detail)
		} else if o.Cookie != "" {
			a.secret("device cookie", strings.SplitN(o.Cookie, "=", 2)[1])
		}
	}
	// Two invitation respondents save a draft with words they later change.
	for i, tok := range printed[:2] {
		draft := fmt.Sprintf("DRAF-DIHAPUS-%d", i)
		a.draftOnly = append(a.draftOnly, draft)
		srv.postAnon(t, "/s/"+tok, url.Values{"_action": {"save"}, "T01": {"2"}, "X01": {draft}}, 303)
	}
	// A third keeps a draft and never submits: its words stay, legitimately, in drafts.
	srv.postAnon(t, "/s/"+printed[7], url.Values{"_action": {"save"}, "T01": {"3"}, "X01": {"DRAF-TERSIMPAN"}}, 303)
	for i, tok := range printed[:5] {
		respond(loadtest.Job{Kind: []loadtest.Kind{loadtest.InviteForm, loadtest.InviteAPI}[i%2], Token: tok, Type: survey.Internal})
	}
	for _, tok := range mailed[:min(3, len(mailed))] {
		respond(loadtest.Job{Kind: loadtest.InviteForm, Token: tok})
	}
	for i := range 12 {
		respond(loadtest.Job{Kind: []loadtest.Kind{loadtest.OpenForm, loadtest.OpenAPI}[i%2], Period: "ANON", Unit: []string{"DISDUK", "DINKES"}[i%2], Type: survey.External})
	}

	// Reminders to everyone who has not answered; one answers it.
	before := len(sink.Messages())
	srv.post(t, insp, "/inspectorate/ANON/invitations/remind", url.Values{"lang": {"id"}, "confirm": {"1"}}, 303) // after the confirmation page
	reminded := a.waitMail(t, sink, before+1)
	respond(loadtest.Job{Kind: loadtest.InviteForm, Token: reminded[len(reminded)-1]})

	// Results, answers and packets leave the system.
	for _, f := range []string{"results.csv", "results.xlsx", "answers.csv", "answers.xlsx"} {
		a.export(t, "GET /export/ANON/"+f, srv.get(t, analyst, "/export/ANON/"+f))
	}
	a.export(t, "GET /admin/audit.csv", srv.get(t, admin, "/admin/audit.csv"))
	srv.post(t, insp, "/inspectorate/ANON/packets/build", url.Values{"lang": {"id"}}, 303)
	waitBuilt(t, db, 3)
	before = len(sink.Messages())
	srv.post(t, insp, "/inspectorate/ANON/packets/send", url.Values{"lang": {"id"}, "mode": {"attach"}, "confirm": {"1"}}, 303)
	a.waitMail(t, sink, before+3)
	srv.stop(t)
	a.addDeviceHashes(t, db)
	// The close releases every answer still waiting in the sealed pool and
	// drops the device fingerprints.
	cliOK(t, "period", "close", "--db", db, "--period", "ANON")
	checkDeviceTracesDropped(t, db)

	for _, what := range []string{"answers", "results"} {
		out := filepath.Join(dir, "cli-"+what+".csv")
		cliOK(t, "export", "--db", db, "--period", "ANON", "--what", what, "--format", "csv", "--out", out)
		b, _ := os.ReadFile(out)
		a.export(t, "integritas export --what "+what, b)
	}
	cliOK(t, "packets", "--db", db, "--period", "ANON", "--out", filepath.Join(dir, "packets"))
	files, _ := filepath.Glob(filepath.Join(dir, "packets", "*.zip"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		a.export(t, "integritas packets: "+filepath.Base(f), b)
	}
	for _, m := range sink.Messages() {
		for name, b := range m.Attachments {
			a.export(t, "mailed attachment "+name, b)
		}
	}
	if len(files) != 3 {
		t.Errorf("%d packet files written", len(files))
	}

	a.checkSchema(t, db)
	a.checkTables(t, db)
	a.checkLogs(t)
	a.checkExports(t)
	a.checkFile(t, db)
}

// server is the running serve() of the audit, with helpers to act on it.
type auditServer struct {
	url  string
	http *http.Client
	stop func(*testing.T)
}

// startServe runs serve() — the code path of `integritas serve` — with
// the production JSON logger writing into logs.
func startServe(t *testing.T, ctx context.Context, db string, smtpPort int, logs io.Writer) *auditServer {
	t.Helper()
	cfg := config.Defaults()
	cfg.DB, cfg.Addr, cfg.BaseURL, cfg.CookieSecure = db, "127.0.0.1:0", "https://spi.pemda.example.go.id", false
	cfg.TrustedProxies = []string{"127.0.0.1"}
	cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPTLS, cfg.SMTPFrom, cfg.MailPerMin = "127.0.0.1", smtpPort, "none", "spi@pemda.example.go.id", 10000
	cfg.LogLevel = "debug" // everything the server would ever log
	must(t, cfg.Validate())
	st, err := openDB(ctx, db)
	must(t, err)
	cl := &cli{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs, getenv: func(string) string { return "" }, now: time.Now}
	sctx, stop := context.WithCancel(ctx)
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- serve(sctx, cl, &cfg, st, func(addr string) { ready <- addr }) }()
	s := &auditServer{http: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	select {
	case addr := <-ready:
		s.url = "http://" + addr
	case err := <-done:
		t.Fatalf("serve: %v", err)
	}
	s.stop = func(t *testing.T) {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		st.Close()
	}
	return s
}

func (s *auditServer) do(t *testing.T, method, path, body string, h map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, s.url+path, strings.NewReader(body))
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", "198.51.100.7") // the Inspectorate's office
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := s.http.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (s *auditServer) login(t *testing.T, role string) map[string]string {
	t.Helper()
	resp, b := s.do(t, "POST", "/login", url.Values{"email": {role + "@pemda.example.go.id"}, "password": {"kata-sandi-audit-123"}}.Encode(), nil)
	for _, ck := range resp.Cookies() {
		if strings.Contains(ck.Name, "session") {
			return map[string]string{"Cookie": ck.Name + "=" + ck.Value}
		}
	}
	t.Fatalf("login as %s: %d %.200s", role, resp.StatusCode, b)
	return nil
}

func (s *auditServer) post(t *testing.T, who map[string]string, path string, v url.Values, status int) []byte {
	t.Helper()
	resp, b := s.do(t, "POST", path, v.Encode(), who)
	if resp.StatusCode != status {
		t.Fatalf("POST %s: %d, want %d: %.300s", path, resp.StatusCode, status, b)
	}
	return b
}

func (s *auditServer) postAnon(t *testing.T, path string, v url.Values, status int) {
	t.Helper()
	s.post(t, map[string]string{"X-Forwarded-For": "192.0.2.200"}, path, v, status)
}

func (s *auditServer) get(t *testing.T, who map[string]string, path string) []byte {
	t.Helper()
	resp, b := s.do(t, "GET", path, "", who)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return b
}

func (s *auditServer) instrument(t *testing.T, db string) *survey.Instrument {
	t.Helper()
	st, err := survey.Open(context.Background(), db)
	must(t, err)
	defer st.Close()
	p, err := st.Period(context.Background(), "ANON")
	must(t, err)
	return p.Instrument
}

var linkToken = regexp.MustCompile(`/s/([A-Za-z0-9_-]{43})`)
