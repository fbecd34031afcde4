package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"integritas/analysis"
)

// Who may use the dashboard, charts, exports and results API, in the order
// of matrixRoles: anonymous, admin, inspector, analyst, viewer of DINKES,
// viewer of DISDIK.
func readerPage(ok int) byRole             { return byRole{303, ok, ok, ok, 403, 403} }
func analystPage(ok int) byRole            { return byRole{303, ok, 403, ok, 403, 403} }
func anyPage(ok int) byRole                { return byRole{303, ok, ok, ok, ok, ok} }
func scopedPage(dinkes, disdik int) byRole { return byRole{303, 200, 200, 200, dinkes, disdik} }

// dashMatrix lists every dashboard route with the status each caller gets;
// flagged is a flagged response of SPI-T for the decision route. A viewer
// editing the unit in the URL or the query reaches nothing (404, the same
// answer as for a unit that does not exist).
func dashMatrix(flagged int64) []access {
	r := fmt.Sprint(flagged)
	return []access{
		{route: "GET /dash", path: "/dash", want: anyPage(303)},
		{route: "GET /dash/:period", path: "/dash/SPI-T", want: anyPage(200), wantHas: "Indeks kota"},
		{route: "GET /dash/:period/units", path: "/dash/SPI-T/units", want: readerPage(200), wantHas: "Dinas Pendidikan"},
		{route: "GET /dash/:period/units/:unit", path: "/dash/SPI-T/units/DINKES", want: scopedPage(200, 404), wantHas: "Dinas Kesehatan"},
		{path: "/dash/SPI-T/units/DISDIK", want: scopedPage(404, 200), wantHas: "Dinas Pendidikan"},
		{path: "/dash/SPI-T/units/PKM1", want: scopedPage(404, 404), wantHas: "HYPERLINK"}, // a child is not in its parent's scope
		{path: "/dash/SPI-T/units/DINKES?unit=DISDIK", want: scopedPage(404, 404), wantHas: "Dinas Kesehatan"},
		{path: "/dash/SPI-T/units/NOPE", want: byRole{303, 404, 404, 404, 404, 404}},
		{route: "GET /dash/:period/elements/:element", path: "/dash/SPI-T/elements/sdm", want: readerPage(200), wantHas: "Dinas Pendidikan"},
		{route: "GET /dash/:period/heatmap", path: "/dash/SPI-T/heatmap", want: readerPage(200), wantHas: "heatmap.png"},
		{route: "GET /dash/:period/quality", path: "/dash/SPI-T/quality", want: readerPage(200), wantHas: "Terlalu cepat"},
		{route: "POST /inspectorate/:period/decisions", path: "/inspectorate/SPI-T/decisions", body: form("unit", "DISDIK", "action", "exclude_flag", "flag", "speeder", "reason", "Uji "+r),
			want: byRole{303, 303, 303, 403, 403, 403}},
		{route: "POST /inspectorate/:period/decisions/:id/revoke", path: "/inspectorate/SPI-T/decisions/999999/revoke", body: form("reason", "Uji"),
			want: byRole{303, 404, 404, 403, 403, 403}},

		{route: "GET /charts/:period/ranking.png", path: "/charts/SPI-T/ranking.png", want: readerPage(200)},
		{route: "GET /charts/:period/ranking.svg", path: "/charts/SPI-T/ranking.svg", want: readerPage(200), wantHas: "Dinas Pendidikan"},
		{route: "GET /charts/:period/heatmap.png", path: "/charts/SPI-T/heatmap.png", want: readerPage(200)},
		{route: "GET /charts/:period/heatmap.svg", path: "/charts/SPI-T/heatmap.svg?type=external", want: readerPage(200), wantHas: "Dinas Pendidikan"},
		{route: "GET /charts/:period/response-rate.png", path: "/charts/SPI-T/response-rate.png", want: readerPage(200)},
		{route: "GET /charts/:period/response-rate.svg", path: "/charts/SPI-T/response-rate.svg", want: readerPage(200), wantHas: "Dinas Pendidikan"},
		{route: "GET /charts/:period/units/:unit/profile.png", path: "/charts/SPI-T/units/DINKES/profile.png", want: scopedPage(200, 404)},
		{route: "GET /charts/:period/units/:unit/profile.svg", path: "/charts/SPI-T/units/DISDIK/profile.svg?type=external", want: scopedPage(404, 200), wantHas: "Dinas Pendidikan"},
		{path: "/charts/SPI-T/units/DINKES/profile.svg?unit=DISDIK", want: scopedPage(404, 404), wantHas: "Dinas Kesehatan"},
		{route: "GET /charts/:period/units/:unit/trend.png", path: "/charts/SPI-T/units/DISDIK/trend.png", want: scopedPage(404, 200)},
		{route: "GET /charts/:period/units/:unit/trend.svg", path: "/charts/SPI-T/units/DINKES/trend.svg", want: scopedPage(200, 404), wantHas: "Dinas Kesehatan"},
		{path: "/charts/SPI-T/units/NOPE/trend.svg", want: byRole{303, 404, 404, 404, 404, 404}},

		{route: "GET /export/:period/results.csv", path: "/export/SPI-T/results.csv", want: readerPage(200), wantHas: "DISDIK"},
		{route: "GET /export/:period/results.xlsx", path: "/export/SPI-T/results.xlsx", want: readerPage(200)},
		{route: "GET /export/:period/results.zip", path: "/export/SPI-T/results.zip", want: readerPage(200)},
		{route: "GET /export/:period/answers.zip", path: "/export/SPI-T/answers.zip", want: analystPage(200)},
		{route: "GET /export/:period/answers.csv", path: "/export/SPI-T/answers.csv", want: analystPage(200), wantHas: "DINKES"},
		{route: "GET /export/:period/answers.xlsx", path: "/export/SPI-T/answers.xlsx", want: analystPage(200)},

		{route: "GET /api/v1/periods/:period/results", path: "/api/v1/periods/SPI-T/results", want: byRole{401, 200, 200, 200, 403, 403}, wantHas: `"DISDIK"`},
		{path: "/api/v1/periods/SPI-T/units/DINKES?unit=DISDIK", want: byRole{401, 200, 200, 200, 404, 404}, wantHas: `"DINKES"`},
	}
}

func TestDashRouteRoleMatrix(t *testing.T) {
	e, _ := dashEnv(t)
	r := e.computed("SPI-T")
	flags, err := analysis.QualityFlags(r.Input)
	must(t, err)
	var flagged int64
	for id := range flags {
		flagged = max(flagged, id)
	}
	headers := []map[string]string{nil, e.loginAs("admin"), e.loginAs("inspector"), e.loginAs("analyst"),
		e.loginAs("viewer", "DINKES"), e.loginAs("viewer", "DISDIK")}
	for _, a := range dashMatrix(flagged) {
		method := "GET"
		if a.body != "" {
			method = "POST"
		}
		for i, caller := range matrixRoles {
			t.Run(method+" "+a.path+" as "+caller, func(t *testing.T) {
				resp, got := e.send(method, a.path, a.body, headers[i])
				want := a.want[i]
				if resp.StatusCode != want {
					t.Fatalf("status %d, want %d; body %.200s", resp.StatusCode, want, got)
				}
				switch {
				case want == 303 && caller == "anonymous" && method == "GET":
					if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
						t.Errorf("anonymous redirected to %q", loc)
					}
				case want == 401:
					if !strings.Contains(got, `"unauthorized"`) {
						t.Errorf("401 body %.200s", got)
					}
				case want >= 400 && strings.HasPrefix(caller, "viewer") && a.wantHas != "":
					if strings.Contains(got, a.wantHas) {
						t.Errorf("a refused viewer sees %q", a.wantHas)
					}
				case want == 200 && a.wantHas != "" && !strings.Contains(got, a.wantHas):
					t.Errorf("body lacks %q: %.300s", a.wantHas, got)
				}
			})
		}
	}
	// Only the admin's and the inspector's decisions happened, each audited.
	log, _ := e.store.AuditLog(context.Background(), "quality.decision", 0)
	var who []string
	for _, l := range log {
		who = append(who, l.Actor)
	}
	slices.Sort(who)
	if strings.Join(who, ",") != "admin@example.go.id,inspector@example.go.id" {
		t.Errorf("decisions audited for %v", who)
	}
	// Every export that was served is in the audit log; refused ones are not.
	exports, _ := e.store.AuditLog(context.Background(), "export.", 0)
	if len(exports) != 3*3+2*3 {
		t.Errorf("%d exports audited, want 15 (results by 3 roles, answers by 2, three formats each)", len(exports))
	}
}

// A viewer's overview shows the city and only the viewer's own units.
func TestViewerOverview(t *testing.T) {
	e, _ := dashEnv(t)
	vd := e.loginAs("viewer", "DINKES")
	e.run([]scenario{
		{name: "own units only", path: "/dash/SPI-T", header: vd, wantStatus: 200,
			want:    []string{"Unit kerja Anda", "/dash/SPI-T/units/DINKES", "Indeks kota"},
			notWant: []string{"/units/DISDIK", "ranking.png", "/export/", "/quality"}},
		{name: "unit page without the others", path: "/dash/SPI-T/units/DINKES", header: vd, wantStatus: 200,
			notWant: []string{"/dash/SPI-T/units\"", "/dash/SPI-T/heatmap", "/elements/", "Dinas Pendidikan"}},
	})
}
