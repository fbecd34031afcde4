package server

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"integritas/assets"
	"integritas/config"
	"integritas/survey"
)

// benchServer is a server over a period "BIG" of 300 units (with 30
// parents) and perType responses of each type per unit, an earlier period
// "OLD" for trends, and the session headers of an analyst.
func benchServer(b *testing.B, perType int) (*Server, map[string]string) {
	b.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	rng := rand.New(rand.NewPCG(3, 5))
	for _, code := range []string{"OLD", "BIG"} {
		opens := map[string]string{"OLD": "2025-07-01", "BIG": "2026-07-01"}[code]
		p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: code, Name: "SPI " + code, Instrument: assets.DefaultInstrument(), OpensOn: opens})
		if err != nil {
			b.Fatal(err)
		}
		var csv strings.Builder
		csv.WriteString("code,name,parent_code,head_email,internal_population,external_population,expert_population\n")
		for u := range 300 {
			parent := ""
			if u >= 30 {
				parent = fmt.Sprintf("U%03d", u%30)
			}
			fmt.Fprintf(&csv, "U%03d,Unit Kerja %d,%s,,%d,%d,%d\n", u, u, parent, 150+u, 20000, 30)
		}
		if _, err := st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(csv.String())); err != nil {
			b.Fatal(err)
		}
		us, _ := st.Units(ctx, p.ID)
		var rs []survey.NewResponse
		for i, u := range us {
			level := 0.6 + 0.3*float64(i)/float64(len(us))
			for _, typ := range survey.Types {
				for range perType {
					rs = append(rs, survey.NewResponse{PeriodID: p.ID, UnitID: u.ID, Type: typ, Channel: survey.ChannelInvitation,
						Submitted: time.Date(2026, 7, 2+rng.IntN(20), rng.IntN(24), 0, 0, 0, time.UTC), Duration: 300 + rng.IntN(900),
						Answers: survey.Answers{Vector: answers(p.Instrument, typ, level, rng)}})
				}
			}
		}
		if err := st.InsertResponses(ctx, rs); err != nil {
			b.Fatal(err)
		}
		if err := st.SetPeriodStatus(ctx, code, survey.StatusOpen); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := st.CreateUser(ctx, survey.NewUser{Email: "analyst@example.go.id", Role: survey.RoleAnalyst, Password: testPassword}); err != nil {
		b.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.CookieSecure = false
	srv, err := New(Options{Store: st, Config: cfg})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form("email", "analyst@example.go.id", "password", testPassword)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == srv.sessionCookie() {
			return srv, map[string]string{"Cookie": ck.Name + "=" + ck.Value}
		}
	}
	b.Fatalf("login: %d %s", rec.Code, rec.Body.String())
	return nil, nil
}

// BenchmarkDashboard measures pages and charts of a 300-unit period with a
// warm results cache (targets: pages < 200 ms, charts < 100 ms each).
func BenchmarkDashboard(b *testing.B) {
	srv, cookie := benchServer(b, 12)
	h := srv.Handler()
	get := func(b *testing.B, path string) {
		req := httptest.NewRequest("GET", path, nil)
		for k, v := range cookie {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%s: %d %.300s", path, rec.Code, rec.Body.String())
		}
	}
	paths := []string{
		"/dash/BIG", "/dash/BIG/units", "/dash/BIG/units/U123", "/dash/BIG/elements/sdm", "/dash/BIG/quality",
		"/charts/BIG/ranking.png", "/charts/BIG/ranking.svg", "/charts/BIG/heatmap.png", "/charts/BIG/heatmap.svg",
		"/charts/BIG/response-rate.png", "/charts/BIG/units/U123/profile.png", "/charts/BIG/units/U123/trend.png",
		"/api/v1/periods/BIG/results",
	}
	for _, p := range paths {
		get(b, p) // warm the cache of both periods
	}
	get(b, "/dash/OLD")
	for _, p := range paths {
		b.Run(strings.TrimPrefix(p, "/"), func(b *testing.B) {
			for b.Loop() {
				get(b, p)
			}
		})
	}
	// Charts drawn anew on every request: the chart cache emptied each time.
	for _, p := range paths {
		if !strings.HasPrefix(p, "/charts/") {
			continue
		}
		b.Run("draw/"+strings.TrimPrefix(p, "/charts/"), func(b *testing.B) {
			for b.Loop() {
				srv.charts = newChartCache(64 << 20)
				get(b, p)
			}
		})
	}
}
