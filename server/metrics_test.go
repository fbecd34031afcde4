package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"integritas/survey"
)

func TestMetrics(t *testing.T) {
	e := newTestEnv(t)
	p := e.period
	units, _ := e.store.Units(t.Context(), p.ID)
	r := survey.NewResponse{PeriodID: p.ID, UnitID: units[0].ID, Type: survey.Internal, Channel: survey.ChannelPaper, Submitted: e.now, Duration: -1,
		Answers: survey.Answers{Vector: make([]byte, len(p.Instrument.Items))}}
	must(t, e.store.InsertResponses(t.Context(), []survey.NewResponse{r, r, r}))
	e.do("GET", "/healthz", "", nil)
	e.do("GET", "/i/secret-invitation-token-123", "", nil)
	admin := e.loginAs("admin")
	e.run([]scenario{
		{name: "admin session", path: "/metrics", header: admin, wantStatus: 200, want: []string{
			`integritas_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
			`integritas_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
			`integritas_http_request_duration_seconds_bucket{route="/healthz",le="0.005"}`,
			"integritas_responses_stored 3",
			"integritas_users 2", // admin, and the analyst signed in below
			`integritas_login_failures_total 0`,
			"go_goroutines",
		}, notWant: []string{"secret-invitation-token"}},
		{name: "analyst session", path: "/metrics", header: e.loginAs("analyst"), wantStatus: 403},
		{name: "anonymous", path: "/metrics", wantStatus: 401},
	})

	// Components report queue depths through Options.Metrics.
	srv, err := New(Options{Store: e.store, Config: e.srv.cfg, Now: e.srv.now, Metrics: func() map[string]float64 {
		return map[string]float64{"committer_queue_depth": 7, "mail_queue_depth": 2, "Bad Name": 1}
	}})
	must(t, err)
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	tok := e.tokenAs("admin")
	req := httptestGet(t, hs.URL+"/metrics", tok)
	for _, w := range []string{"integritas_committer_queue_depth 7", "integritas_mail_queue_depth 2"} {
		if !strings.Contains(req, w) {
			t.Errorf("metrics lack %q", w)
		}
	}
	if strings.Contains(req, "Bad Name") || strings.Contains(req, "integritas_Bad") {
		t.Error("an invalid metric name was exposed")
	}
}

func httptestGet(t *testing.T, url string, header map[string]string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}
