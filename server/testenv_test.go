package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"integritas/assets"
	"integritas/config"
	"integritas/internal/pgtest"
	"integritas/survey"
)

// testEnv is a real server on a real SQLite file in t.TempDir() (or a
// fresh PostgreSQL database with INTEGRITAS_TEST_PG=1), with a
// period "SPI-T" (open) using the default instrument and three units:
// DINKES (with child PKM1) and DISDIK. Shared by every handler test.
type testEnv struct {
	t      *testing.T
	store  *survey.Store
	srv    *Server
	http   *httptest.Server
	period *survey.Period
	now    time.Time
}

// newTestEnv is newTestEnvWith the pool releasing every answer at once, so
// that a test reads a response right after submitting it.
func newTestEnv(t *testing.T) *testEnv { return newTestEnvWith(t, survey.WithPoolRelease(1)) }

// newTestEnvWith builds the test server on a store opened with opts.
func newTestEnvWith(t *testing.T, opts ...survey.StoreOption) *testEnv {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db, key := pgtest.DB(t, filepath.Join(t.TempDir(), "test.db"))
	if key != "" {
		opts = append(opts, survey.WithKeyFile(key))
	}
	st, err := survey.Open(ctx, db, append([]survey.StoreOption{survey.WithClock(clock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: "SPI-T", Name: "SPI Test", Instrument: assets.DefaultInstrument()})
	if err != nil {
		t.Fatal(err)
	}
	units := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
		"DINKES,Dinas Kesehatan,,kadinkes@example.go.id,120,5000,10\n" +
		"PKM1,Puskesmas Satu,DINKES,kapkm1@example.go.id,30,2000,\n" +
		"DISDIK,Dinas Pendidikan,,kadisdik@example.go.id,200,8000,10\n"
	if _, err := st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(units)); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPeriodStatus(ctx, p.Code, survey.StatusOpen); err != nil {
		t.Fatal(err)
	}
	p, _ = st.Period(ctx, p.Code)
	cfg := config.Defaults()
	cfg.CookieSecure = false // httptest serves plain HTTP
	cfg.BaseURL = "http://integritas.test"
	srv, err := New(Options{Store: st, Config: cfg, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &testEnv{t: t, store: st, srv: srv, http: hs, period: p, now: now}
}

// scenario is one request and what its answer must (and must not) hold.
type scenario struct {
	name       string
	method     string
	path       string
	body       string
	header     map[string]string
	wantStatus int
	want       []string
	notWant    []string
}

// do sends one request to the real handler, with the headers a browser's
// same-origin request carries, and returns status and body.
func (e *testEnv) do(method, path, body string, header map[string]string) (int, string, http.Header) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.http.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" && !strings.HasPrefix(strings.TrimSpace(body), "{") {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// run checks each scenario.
func (e *testEnv) run(scenarios []scenario) {
	e.t.Helper()
	for _, sc := range scenarios {
		e.t.Run(sc.name, func(t *testing.T) {
			method := sc.method
			if method == "" {
				method = http.MethodGet
			}
			code, body, _ := e.do(method, sc.path, sc.body, sc.header)
			if code != sc.wantStatus {
				t.Errorf("%s %s: status %d, want %d; body: %.300s", method, sc.path, code, sc.wantStatus, body)
			}
			for _, w := range sc.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s %s: body lacks %q; body: %.300s", method, sc.path, w, body)
				}
			}
			for _, w := range sc.notWant {
				if strings.Contains(body, w) {
					t.Errorf("%s %s: body holds %q", method, sc.path, w)
				}
			}
		})
	}
}

// form encodes key, value pairs as a form body.
func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

func TestBasics(t *testing.T) {
	e := newTestEnv(t)
	e.run([]scenario{
		{name: "home in Indonesian", path: "/", wantStatus: 200, want: []string{"Survei Penilaian Integritas", `lang="id"`}},
		{name: "home in English", path: "/?lang=en", wantStatus: 200, want: []string{"Integrity Assessment Survey", `lang="en"`}},
		{name: "health", path: "/healthz", wantStatus: 200, want: []string{`"ok"`}},
		{name: "unknown page", path: "/nope", wantStatus: 404, want: []string{"Halaman tidak ditemukan"}},
		{name: "unknown api", path: "/api/v1/nope", wantStatus: 404, want: []string{`"not_found"`}},
		{name: "static css", path: "/static/style.css", wantStatus: 200, want: []string{"--accent"}},
		{name: "cross-site post refused", method: "POST", path: "/", body: "a=b", header: map[string]string{"Sec-Fetch-Site": "cross-site"}, wantStatus: 403},
	})
	_, _, h := e.do("GET", "/", "", nil)
	for _, k := range []string{"Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"} {
		if h.Get(k) == "" {
			t.Errorf("header %s missing", k)
		}
	}
}
