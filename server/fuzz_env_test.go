package server

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"integritas/assets"
	"integritas/config"
	"integritas/survey"
)

// fuzzEnv is a real server on a real SQLite file for fuzz targets, which
// get a *testing.F rather than the *testing.T newTestEnv takes: period
// SPI-F (open) with units DINKES and DISDIK, a few unused invitations, and
// the open-link rate limit off so that every input reaches the handler.
type fuzzEnv struct {
	srv     *Server
	period  *survey.Period
	dinkes  survey.Unit // SPI-F's DINKES, for signed open-link forms
	store   *survey.Store
	handler http.Handler
	db      *sql.DB // read-only, for counting
	tokens  []string
}

func newFuzzEnv(tb testing.TB) *fuzzEnv {
	tb.Helper()
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)
	path := filepath.Join(tb.TempDir(), "fuzz.db")
	st, err := survey.Open(ctx, path, survey.WithClock(func() time.Time { return now }), survey.WithPoolRelease(1))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: "SPI-F", Name: "SPI Fuzz", Instrument: assets.DefaultInstrument()})
	if err != nil {
		tb.Fatal(err)
	}
	units := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
		"DINKES,Dinas Kesehatan,,,120,5000,10\nDISDIK,Dinas Pendidikan,,,200,8000,10\n"
	if _, err := st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(units)); err != nil {
		tb.Fatal(err)
	}
	if err := st.SetPeriodStatus(ctx, p.Code, survey.StatusOpen); err != nil {
		tb.Fatal(err)
	}
	iss, err := st.CreateInvitations(ctx, p.ID, []survey.NewInvitation{{UnitCode: "DINKES", Type: survey.Internal},
		{UnitCode: "DISDIK", Type: survey.Expert}, {UnitCode: "DINKES", Type: survey.Internal}})
	if err != nil {
		tb.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.CookieSecure = false
	cfg.OpenDeviceCap, cfg.OpenAddressCap = 0, 0 // every genuine form may store: the fuzzer reaches the writer
	srv, err := New(Options{Store: st, Config: cfg, Now: func() time.Time { return now }, OpenLinkLimit: RateLimit{PerMinute: -1}})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close() })
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	p, _ = st.Period(ctx, p.Code)
	u, err := st.Unit(ctx, p.ID, "DINKES")
	if err != nil {
		tb.Fatal(err)
	}
	e := &fuzzEnv{srv: srv, period: p, dinkes: u, store: st, handler: srv.Handler(), db: db}
	for _, x := range iss {
		e.tokens = append(e.tokens, x.Token)
	}
	return e
}

// counts are the rows a submission may add: responses, their texts, and
// used invitations.
type counts struct{ responses, texts, used int }

func (e *fuzzEnv) counts(tb testing.TB) counts {
	tb.Helper()
	var c counts
	err := e.db.QueryRow(`SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM text_answers),
		(SELECT count(*) FROM invitations WHERE used = 1)`).Scan(&c.responses, &c.texts, &c.used)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// serve sends one request through the whole handler (CSRF protection,
// middleware, routes) without a network.
func (e *fuzzEnv) serve(method, path, contentType string, body []byte, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(string(body)))
	for _, c := range cookies {
		req.AddCookie(c)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec
}

// openForm is a genuine signed form of SPI-F's DINKES and a device cookie
// (the caps are off here), so that a fuzzed body can pass the open link's gates.
func (e *fuzzEnv) openForm() (string, *http.Cookie) {
	return e.srv.issueForm(e.period, e.dinkes), &http.Cookie{Name: deviceCookieName(e.period), Value: strings.Repeat("A", 22)}
}
