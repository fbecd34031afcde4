package server

import (
	"context"
	"strings"
	"testing"

	"integritas/survey"
)

func TestBearerTokens(t *testing.T) {
	e := newTestEnv(t)
	analyst := e.tokenAs("analyst")
	viewer := e.tokenAs("viewer", "DINKES")
	inspector := e.tokenAs("inspector")
	revoked := e.tokenAs("admin")
	ts, _ := e.store.Tokens(context.Background(), "admin@example.go.id")
	must(t, e.store.RevokeToken(context.Background(), ts[0].ID))
	both := map[string]string{"Authorization": "Bearer itg_not-a-real-token"}
	for k, v := range e.loginAs("admin") {
		both[k] = v
	}
	e.run([]scenario{
		{name: "me by token", path: "/api/v1/me", header: analyst, wantStatus: 200, want: []string{`"role":"analyst"`, `"via":"token"`}},
		{name: "me by session", path: "/api/v1/me", header: e.loginAs("analyst"), wantStatus: 200, want: []string{`"via":"session"`}},
		{name: "viewer token in scope", path: "/api/v1/periods/SPI-T/units/DINKES", header: viewer, wantStatus: 200},
		{name: "viewer token out of scope", path: "/api/v1/periods/SPI-T/units/DISDIK", header: viewer, wantStatus: 404, notWant: []string{"Dinas Pendidikan"}},
		{name: "revoked token", path: "/api/v1/me", header: revoked, wantStatus: 401, want: []string{`"unauthorized"`}},
		{name: "bad token is not rescued by a cookie", path: "/api/v1/me", header: both, wantStatus: 401},
		{name: "basic auth is not a token", path: "/api/v1/me", header: map[string]string{"Authorization": "Basic YTpi"}, wantStatus: 401},
		{name: "a viewer's token on /metrics", path: "/metrics", header: viewer, wantStatus: 403, notWant: []string{"integritas_responses_stored"}}, // admins or the scrape token only (metrics_access_test.go)
	})
	// Pages ignore tokens: a script cannot drive the browser forms.
	for _, tc := range []struct{ method, path, body string }{
		{"GET", "/admin/periods", ""},
		{"POST", "/admin/periods/SPI-T/close", form("confirm", "SPI-T")},
	} {
		resp, _ := e.send(tc.method, tc.path, tc.body, inspector)
		if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("%s %s with a bearer token: %d %q, want a redirect to login", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if p, _ := e.store.Period(context.Background(), "SPI-T"); p.Status != survey.StatusOpen {
		t.Error("a token closed a period through a page")
	}
	u := e.accountFor("analyst")
	must(t, e.store.SetUserDisabled(context.Background(), u.ID, true))
	if code, _, _ := e.do("GET", "/api/v1/me", "", analyst); code != 401 {
		t.Errorf("token of a disabled account: %d", code)
	}
}
