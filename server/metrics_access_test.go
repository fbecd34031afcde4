package server

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMetricsOnlyAdminOrScrapeToken: any valid API token used to read
// /metrics, so a viewer's token saw live submission counts. Now only an
// admin (session or token) or the dedicated scrape token may; the scrape
// token opens nothing else.
func TestMetricsOnlyAdminOrScrapeToken(t *testing.T) {
	e := newTestEnv(t)
	cfg := e.srv.cfg
	cfg.MetricsToken = strings.Repeat("s", 40)
	srv, err := New(Options{Store: e.store, Config: cfg, Now: e.srv.now})
	must(t, err)
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	e2 := &testEnv{t: t, store: e.store, srv: srv, http: hs, period: e.period, now: e.now}
	scrape := map[string]string{"Authorization": "Bearer " + cfg.MetricsToken}
	e2.run([]scenario{
		{name: "viewer token", path: "/metrics", header: e2.tokenAs("viewer"), wantStatus: 403},
		{name: "analyst token", path: "/metrics", header: e2.tokenAs("analyst"), wantStatus: 403},
		{name: "admin token", path: "/metrics", header: e2.tokenAs("admin"), wantStatus: 200, want: []string{"integritas_responses_stored"}},
		{name: "scrape token", path: "/metrics", header: scrape, wantStatus: 200, want: []string{"integritas_responses_stored"}},
		{name: "scrape token elsewhere", path: "/api/v1/periods", header: scrape, wantStatus: 401},
		{name: "wrong scrape token", path: "/metrics", header: map[string]string{"Authorization": "Bearer " + strings.Repeat("x", 40)}, wantStatus: 401},
	})
}
