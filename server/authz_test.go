package server

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"integritas/assets"
	"integritas/survey"
)

// The six callers of the route × role matrix, in the order of byRole.
var matrixRoles = []string{"anonymous", "admin", "inspector", "analyst", "viewer:DINKES", "viewer:DISDIK"}

// byRole is the expected status for each caller of matrixRoles.
type byRole [6]int

// Shorthands: who may use a route, and what the allowed callers get.
func public(ok int) byRole                { return byRole{ok, ok, ok, ok, ok, ok} }
func adminPage(ok int) byRole             { return byRole{303, ok, 403, 403, 403, 403} }
func inspectorPage(ok int) byRole         { return byRole{303, ok, ok, 403, 403, 403} }
func anyAPI(ok int) byRole                { return byRole{401, ok, ok, ok, ok, ok} }
func scopedAPI(dinkes, disdik int) byRole { return byRole{401, 200, 200, 200, dinkes, disdik} }

// access is one row of the matrix: a request to a route pattern. In path
// and body, {r} becomes a per-caller word so that creations do not clash.
type access struct {
	route   string // "METHOD /pattern", as gin lists it
	path    string
	body    string            // form body
	files   map[string]string // multipart files (body then holds no fields)
	fields  map[string]string // multipart fields
	want    byRole
	wantHas string // a substring the allowed callers' bodies must hold
}

var callerWord = []string{"anon", "admin", "insp", "anal", "vdinkes", "vdisdik"}

const unitsCSV = "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
	"DINKES,Dinas Kesehatan,,kadinkes@example.go.id,120,5000,10\n" +
	"PKM1,Puskesmas Satu,DINKES,kapkm1@example.go.id,30,2000,\n" +
	"DISDIK,Dinas Pendidikan,,kadisdik@example.go.id,200,8000,10\n"

// matrix lists every route of the server with the status each caller gets.
// TestEveryRouteIsInTheMatrix fails when a route is missing here: a new
// route must say who may use it.
func matrix(target int64) []access {
	t := fmt.Sprint(target)
	return []access{
		{route: "GET /", path: "/", want: byRole{200, 303, 303, 303, 303, 303}}, // staff land where they work (issue 14)
		{route: "GET /healthz", path: "/healthz", want: public(200)},
		{route: "GET /static/*filepath", path: "/static/style.css", want: public(200)},
		{route: "HEAD /static/*filepath", path: "/static/style.css", want: public(200)},
		{route: "GET /login", path: "/login", want: byRole{200, 303, 303, 303, 303, 303}},
		{route: "GET /metrics", path: "/metrics", want: byRole{401, 200, 403, 403, 403, 403}, wantHas: "integritas_http_requests_total"},

		{route: "GET /admin/users", path: "/admin/users", want: adminPage(200), wantHas: "admin@example.go.id"},
		{route: "POST /admin/users", path: "/admin/users", body: form("email", "new-{r}@example.go.id", "role", "analyst", "password", testPassword), want: adminPage(303)},
		{route: "GET /admin/users/:id", path: "/admin/users/" + t, want: adminPage(200), wantHas: "target@example.go.id"},
		{route: "POST /admin/users/:id", path: "/admin/users/" + t, body: form("name", "Target {r}", "role", "viewer", "units", "DISDIK"), want: adminPage(303)},
		{route: "POST /admin/users/:id/password", path: "/admin/users/" + t + "/password", body: form("password", "another-password-{r}"), want: adminPage(303)},
		{route: "POST /admin/users/:id/disable", path: "/admin/users/" + t + "/disable", body: form("x", "y"), want: adminPage(303)},
		{route: "POST /admin/users/:id/enable", path: "/admin/users/" + t + "/enable", body: form("x", "y"), want: adminPage(303)},
		{route: "GET /admin/audit", path: "/admin/audit", want: adminPage(200), wantHas: "auth.login"},
		{route: "GET /admin/audit.csv", path: "/admin/audit.csv", want: adminPage(200), wantHas: "id,at,actor,action,target,detail"},

		{route: "GET /admin/periods", path: "/admin/periods", want: inspectorPage(200), wantHas: "SPI-T"},
		{route: "POST /admin/periods", path: "/admin/periods", fields: map[string]string{"code": "NEW-{r}", "name": "Baru"}, want: inspectorPage(303)},
		{route: "POST /admin/periods/:period/open", path: "/admin/periods/D-{r}/open", body: form("x", "y"), want: inspectorPage(303)},
		{route: "GET /admin/periods/:period/close", path: "/admin/periods/SPI-T/close", want: inspectorPage(200), wantHas: "SPI-T"},
		{route: "POST /admin/periods/:period/extend", path: "/admin/periods/C-{r}/extend", body: form("closes", "2099-12-31"), want: inspectorPage(303)},
		{route: "POST /admin/periods/:period/close", path: "/admin/periods/C-{r}/close", body: form("confirm", "C-{r}"), want: inspectorPage(303)},
		{route: "GET /admin/periods/:period/edit", path: "/admin/periods/SPI-T/edit", want: inspectorPage(200), wantHas: "SPI-T"},
		{route: "POST /admin/periods/:period/edit", path: "/admin/periods/E-{r}/edit", fields: map[string]string{"name": "Ubah {r}", "closes": "2099-12-31"}, want: inspectorPage(303)},
		{route: "POST /admin/periods/:period/delete", path: "/admin/periods/X-{r}/delete", body: form("confirm", "X-{r}"), want: inspectorPage(303)},
		{route: "GET /admin/settings", path: "/admin/settings", want: adminPage(200), wantHas: "Asia/Jakarta"},
		{route: "POST /admin/settings", path: "/admin/settings", body: form("inspectorate", "Inspektorat {r}", "time_zone", "Asia/Jakarta", "lang", "id"), want: adminPage(303)},
		{route: "GET /admin/outbox", path: "/admin/outbox", want: adminPage(200)},
		{route: "GET /admin/periods/:period/units", path: "/admin/periods/SPI-T/units", want: inspectorPage(200), wantHas: "DISDIK"},
		{route: "POST /admin/periods/:period/units", path: "/admin/periods/SPI-T/units", files: map[string]string{"file:units.csv": unitsCSV}, want: inspectorPage(303)},
		{route: "GET /admin/periods/:period/units/:unit", path: "/admin/periods/SPI-T/units/DINKES", want: inspectorPage(200), wantHas: "Dinas Kesehatan"},
		{route: "POST /admin/periods/:period/units/:unit", path: "/admin/periods/SPI-T/units/DINKES", body: form("name", "Dinas Kesehatan", "internal_population", "120"), want: inspectorPage(303)},

		// Inspectorate: inspectors (and admins) run the cycle; viewers fetch
		// their own units' packets; a download link needs no account.
		{route: "GET /inspectorate", path: "/inspectorate", want: inspectorPage(200), wantHas: "SPI-T"},
		{route: "GET /inspectorate/:period", path: "/inspectorate/SPI-T", want: inspectorPage(200), wantHas: "SPI Test"},
		{route: "GET /inspectorate/:period/roster", path: "/inspectorate/SPI-T/roster", want: inspectorPage(200), wantHas: "CSV"},
		{route: "POST /inspectorate/:period/roster", path: "/inspectorate/SPI-T/roster", files: map[string]string{"file:roster.csv": "unit,type,name,email\nDISDIK,internal,Guru {r},guru@example.go.id\n"}, want: inspectorPage(200)},
		{route: "GET /inspectorate/:period/sampling", path: "/inspectorate/SPI-T/sampling", want: inspectorPage(200), wantHas: "DISDIK"},
		{route: "POST /inspectorate/:period/sampling", path: "/inspectorate/SPI-T/sampling", body: form("margin", "5", "seed", "7", "type", "internal"), want: inspectorPage(303)},
		{route: "GET /inspectorate/:period/invitations", path: "/inspectorate/SPI-T/invitations", want: inspectorPage(200)},
		{route: "POST /inspectorate/:period/invitations/remind", path: "/inspectorate/SPI-T/invitations/remind", body: form("lang", "id", "unit", "DINKES"), want: byRole{303, 409, 409, 403, 403, 403}},
		{route: "GET /inspectorate/:period/whatsapp", path: "/inspectorate/SPI-T/whatsapp", want: inspectorPage(200), wantHas: "WhatsApp"},
		{route: "POST /inspectorate/:period/whatsapp/:id", path: "/inspectorate/SPI-T/whatsapp/999999", body: form("lang", "id"), want: byRole{303, 404, 404, 403, 403, 403}},
		{route: "POST /inspectorate/:period/whatsapp.csv", path: "/inspectorate/SPI-T/whatsapp.csv", body: form("confirm", "1"), want: inspectorPage(200), wantHas: "whatsapp_link"},
		{route: "GET /inspectorate/:period/openlinks", path: "/inspectorate/SPI-T/openlinks", want: inspectorPage(200), wantHas: "/r/SPI-T/DINKES"},
		{route: "GET /inspectorate/:period/posters/:file", path: "/inspectorate/SPI-T/posters/DINKES.pdf", want: inspectorPage(200), wantHas: "%PDF"},
		{route: "GET /inspectorate/:period/preview", path: "/inspectorate/SPI-T/preview", want: inspectorPage(200), wantHas: "preview/expert"},
		{route: "GET /inspectorate/:period/preview/:type", path: "/inspectorate/SPI-T/preview/internal", want: inspectorPage(200), wantHas: "survey"},
		{route: "POST /inspectorate/:period/preview/:type", path: "/inspectorate/SPI-T/preview/external", body: form("x", "y"), want: inspectorPage(200)},
		{route: "GET /inspectorate/:period/corrections", path: "/inspectorate/SPI-T/corrections", want: inspectorPage(200), wantHas: "DISDIK"},
		{route: "POST /inspectorate/:period/corrections", path: "/inspectorate/SPI-T/corrections", body: form("unit", "DISDIK", "kind", "complaints", "points", "1,5", "reason", "Pengaduan {r}"), want: inspectorPage(303)},
		{route: "POST /inspectorate/:period/corrections/:id/delete", path: "/inspectorate/SPI-T/corrections/999999/delete", body: form("why", "salah unit"), want: byRole{303, 404, 404, 403, 403, 403}},
		{route: "GET /inspectorate/:period/packets", path: "/inspectorate/SPI-T/packets", want: inspectorPage(200), wantHas: "kadisdik@example.go.id"},
		{route: "POST /inspectorate/:period/packets/build", path: "/inspectorate/C-{r}/packets/build", body: form("lang", "id"), want: inspectorPage(303)},
		{route: "POST /inspectorate/:period/packets/resume", path: "/inspectorate/SPI-T/packets/resume", body: form("job", "999999"), want: byRole{303, 404, 404, 403, 403, 403}},
		{route: "POST /inspectorate/:period/packets/send", path: "/inspectorate/SPI-T/packets/send", body: form("unit", "DISDIK", "lang", "id", "mode", "link"), want: inspectorPage(303)},
		{route: "GET /inspectorate/:period/packets/:unit/preview", path: "/inspectorate/SPI-T/packets/DINKES/preview", want: inspectorPage(200), wantHas: "%PDF"},
		{route: "POST /inspectorate/:period/deliveries/:id/resend", path: "/inspectorate/SPI-T/deliveries/999999/resend", body: form("x", "y"), want: byRole{303, 404, 404, 403, 403, 403}},
		{route: "GET /inspectorate/:period/followup", path: "/inspectorate/SPI-T/followup", want: inspectorPage(200)},
		{route: "POST /inspectorate/:period/followup", path: "/inspectorate/SPI-T/followup", body: form("unit", "DINKES", "element", "pbj", "action", "Rencana {r}", "status", "planned"), want: inspectorPage(303)},
		{route: "POST /inspectorate/:period/followup/upload", path: "/inspectorate/SPI-T/followup/upload", files: map[string]string{"file:plan.xlsx": "not a workbook"}, want: inspectorPage(400)},
		{route: "GET /packets/:period/:unit", path: "/packets/SPI-T/DINKES", want: byRole{303, 200, 200, 200, 200, 404}, wantHas: "PK"},
		{path: "/packets/SPI-T/DISDIK", want: byRole{303, 200, 200, 200, 404, 200}, wantHas: "PK"},
		{path: "/packets/SPI-T/PKM1", want: byRole{303, 404, 404, 404, 404, 404}}, // no packet built: as out of scope
		{route: "GET /api/v1/periods/:period/units/:unit/packet", path: "/api/v1/periods/SPI-T/units/DISDIK/packet", want: byRole{401, 200, 200, 200, 404, 200}, wantHas: "PK"},
		{route: "GET /packet/:token", path: "/packet/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", want: public(404)},
		// An unknown link returns nothing, to anyone; the browser cycle test returns a plan by a real one.
		{route: "GET /packet/:token/return", path: "/packet/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/return", want: public(404)},
		{route: "POST /packet/:token/return", path: "/packet/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/return", files: map[string]string{"file:plan.xlsx": "not a workbook"}, want: public(404)},
		// Respondents: public, and the same for everyone (a staff session
		// changes nothing). A token's link is its only credential.
		{route: "GET /s/:token", path: "/s/" + strings.Repeat("A", 43), want: public(404)}, // unknown link; TestInvitationPages has the rest
		{route: "POST /s/:token", path: "/s/" + strings.Repeat("A", 43), body: form("T01", "4"), want: public(404)},
		{route: "GET /r/:period/:unit", path: "/r/SPI-T/DINKES", want: public(200), wantHas: "Dinas Kesehatan"},
		{route: "POST /r/:period/:unit", path: "/r/SPI-T/DINKES", body: form("T01", "4", "SOS01", "3", "SOS02", "5"), want: public(303)},
		{route: "GET /r/:period/:unit/qr.png", path: "/r/SPI-T/DINKES/qr.png", want: public(200)},
		{route: "GET /thanks", path: "/thanks", want: public(200), wantHas: "Terima kasih"},
		{route: "POST /api/v1/responses", path: "/api/v1/responses", body: `{"period": "SPI-T", "unit": "DINKES", "answers": {"T01": "4", "SOS01": "3", "SOS02": "5"}}`, want: public(201)},

		{route: "GET /api/v1/me", path: "/api/v1/me", want: anyAPI(200), wantHas: `"role"`},
		{route: "GET /api/v1/periods", path: "/api/v1/periods", want: anyAPI(200), wantHas: "SPI-T"},
		{route: "GET /api/v1/periods/:period/units", path: "/api/v1/periods/SPI-T/units", want: anyAPI(200), wantHas: `"units"`},
		// Reaching another unit by changing identifiers: the URL…
		{route: "GET /api/v1/periods/:period/units/:unit", path: "/api/v1/periods/SPI-T/units/DINKES", want: scopedAPI(200, 404), wantHas: "Dinas Kesehatan"},
		{path: "/api/v1/periods/SPI-T/units/DISDIK", want: scopedAPI(404, 200), wantHas: "Dinas Pendidikan"},
		{path: "/api/v1/periods/SPI-T/units/PKM1", want: scopedAPI(404, 404), wantHas: "Puskesmas Satu"}, // a child is not in its parent's scope
		{path: "/api/v1/periods/SPI-T/units/NOPE", want: byRole{401, 404, 404, 404, 404, 404}},           // same answer as out of scope
		// …and the query.
		{path: "/api/v1/periods/SPI-T/units?unit=DISDIK", want: scopedAPI(404, 200), wantHas: "DISDIK"},
		{path: "/api/v1/periods/SPI-T/units?unit=DINKES&unit=DISDIK", want: scopedAPI(404, 404), wantHas: "DINKES"},
		{path: "/api/v1/periods/NOPE/units", want: byRole{401, 404, 404, 404, 404, 404}},
	}
}

// matrixEnv is the shared environment plus the periods and accounts the
// matrix acts on, and the callers' session headers.
func matrixEnv(t *testing.T) (*testEnv, []map[string]string, int64) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, w := range callerWord {
		_, err := e.store.CreatePeriod(ctx, survey.NewPeriod{Code: "D-" + w, Instrument: assets.DefaultInstrument()})
		must(t, err)
		_, err = e.store.CreatePeriod(ctx, survey.NewPeriod{Code: "C-" + w, Instrument: assets.DefaultInstrument()})
		must(t, err)
		must(t, e.store.SetPeriodStatus(ctx, "C-"+w, survey.StatusOpen))
		for _, prefix := range []string{"E-", "X-"} { // a draft to edit and one to delete (issue 14)
			_, err = e.store.CreatePeriod(ctx, survey.NewPeriod{Code: prefix + w, Instrument: assets.DefaultInstrument()})
			must(t, err)
		}
	}
	for _, unit := range []string{"DINKES", "DISDIK"} { // packets for the download rows
		_, err := e.store.SavePacketBuild(ctx, e.period.ID, unit, "id", []byte("PK\x03\x04 packet of "+unit), "test")
		must(t, err)
	}
	target, err := e.store.CreateUser(ctx, survey.NewUser{Email: "target@example.go.id", Role: survey.RoleAnalyst, Password: testPassword})
	must(t, err)
	headers := []map[string]string{nil, e.loginAs("admin"), e.loginAs("inspector"), e.loginAs("analyst"),
		e.loginAs("viewer", "DINKES"), e.loginAs("viewer", "DISDIK")}
	return e, headers, target.ID
}

func TestRouteRoleMatrix(t *testing.T) {
	e, headers, target := matrixEnv(t)
	for _, a := range matrix(target) {
		for i, caller := range matrixRoles {
			method := "GET"
			if a.route != "" {
				method, _, _ = strings.Cut(a.route, " ")
			} else if a.body != "" || a.files != nil || a.fields != nil {
				method = "POST"
			}
			path := strings.ReplaceAll(a.path, "{r}", callerWord[i])
			body := strings.NewReplacer("{r}", callerWord[i], "%7Br%7D", callerWord[i]).Replace(a.body)
			h := headers[i]
			if a.files != nil || a.fields != nil {
				fields := map[string]string{}
				for k, v := range a.fields {
					fields[k] = strings.ReplaceAll(v, "{r}", callerWord[i])
				}
				body, h = upload(t, fields, a.files, headers[i])
			}
			t.Run(method+" "+path+" as "+caller, func(t *testing.T) {
				resp, got := e.send(method, path, body, h)
				want := a.want[i]
				if resp.StatusCode != want {
					t.Fatalf("status %d, want %d; body %.200s", resp.StatusCode, want, got)
				}
				switch {
				case want == 303 && caller == "anonymous" && method == "GET":
					if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
						t.Errorf("anonymous redirected to %q, want the login page with next", loc)
					}
				case want == 401 && strings.HasPrefix(path, "/api/"):
					if !strings.Contains(got, `"unauthorized"`) {
						t.Errorf("401 body %.200s, want the JSON error", got)
					}
				case want == 404 && strings.HasPrefix(caller, "viewer"):
					if a.wantHas != "" && method == "GET" && strings.Contains(got, a.wantHas) {
						t.Errorf("a refused viewer sees %q", a.wantHas)
					}
				case want == 200 && method == "GET" && a.wantHas != "" && !strings.Contains(got, a.wantHas):
					t.Errorf("body lacks %q: %.300s", a.wantHas, got)
				}
			})
		}
	}
	checkMatrixEffects(t, e)
}

// checkMatrixEffects proves the allowed writes happened and the refused
// ones changed nothing.
func checkMatrixEffects(t *testing.T, e *testEnv) {
	ctx := context.Background()
	for i, w := range callerWord {
		allowed := i == 1 || i == 2 // admin, inspector
		if _, err := e.store.Period(ctx, "NEW-"+w); (err == nil) != allowed {
			t.Errorf("period NEW-%s exists: %v, want %v", w, err == nil, allowed)
		}
		wantOpen, wantClosed := survey.StatusDraft, survey.StatusOpen
		if allowed {
			wantOpen, wantClosed = survey.StatusOpen, survey.StatusClosed
		}
		if p, _ := e.store.Period(ctx, "D-"+w); p.Status != wantOpen {
			t.Errorf("D-%s is %s, want %s", w, p.Status, wantOpen)
		}
		if p, _ := e.store.Period(ctx, "C-"+w); p.Status != wantClosed {
			t.Errorf("C-%s is %s, want %s", w, p.Status, wantClosed)
		}
		if _, err := e.store.UserByEmail(ctx, "new-"+w+"@example.go.id"); (err == nil) != (i == 1) {
			t.Errorf("user new-%s exists: %v", w, err == nil)
		}
	}
	u, _ := e.store.UserByEmail(ctx, "target@example.go.id")
	if u.Name != "Target admin" || u.Role != survey.RoleViewer || strings.Join(u.Units, ",") != "DISDIK" || u.Disabled {
		t.Errorf("target after the matrix: %+v", u)
	}
	if _, _, err := e.store.Authenticate(ctx, u.Email, "another-password-admin", e.now); err != nil {
		t.Errorf("the admin's password reset did not take: %v", err)
	}
}

// TestEveryRouteIsInTheMatrix keeps the matrix complete: every route the
// engine serves must have a row saying who may use it.
func TestEveryRouteIsInTheMatrix(t *testing.T) {
	e := newTestEnv(t)
	covered := map[string]bool{"POST /login": true, "POST /logout": true}           // TestLogin*, TestLogout
	for _, a := range append(append(matrix(1), dashMatrix(1)...), mcpMatrix()...) { // dashMatrix: dash_authz_test.go; mcpMatrix: dash_mcp_test.go
		covered[a.route] = true
	}
	var missing []string
	for _, r := range e.srv.engine.Routes() {
		if !covered[r.Method+" "+r.Path] {
			missing = append(missing, r.Method+" "+r.Path)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("routes without a row in the route × role matrix (authz_test.go): %v", missing)
	}
}

// TestViewerListsOnlyOwnUnits checks the filtered list, not just its status.
func TestViewerListsOnlyOwnUnits(t *testing.T) {
	e := newTestEnv(t)
	e.run([]scenario{
		{name: "viewer of DINKES", path: "/api/v1/periods/SPI-T/units", header: e.loginAs("viewer", "DINKES"), wantStatus: 200,
			want: []string{`"code":"DINKES"`}, notWant: []string{"DISDIK", "PKM1"}},
		{name: "viewer of two units", path: "/api/v1/periods/SPI-T/units", header: e.loginAs("viewer", "DISDIK", "PKM1"), wantStatus: 200,
			want: []string{`"DISDIK"`, `"PKM1"`}, notWant: []string{`"code":"DINKES"`}},
		{name: "viewer with no units", path: "/api/v1/periods/SPI-T/units", header: e.loginAs("viewer"), wantStatus: 200,
			want: []string{`"units":[]`}},
		{name: "analyst sees all", path: "/api/v1/periods/SPI-T/units", header: e.loginAs("analyst"), wantStatus: 200,
			want: []string{`"DINKES"`, `"DISDIK"`, `"PKM1"`}},
	})
}

// TestUnitScopeInBody checks the helpers other areas use for unit codes in
// a form body (s.unitScope) and in a JSON body (s.unitAllowed), on probe
// routes added to the real engine.
func TestUnitScopeInBody(t *testing.T) {
	e := newTestEnv(t)
	s := e.srv
	s.engine.POST("/api/v1/test-probe/form", s.require(roleAnalyst, roleViewer), s.unitScope, func(c *gin.Context) {
		c.JSON(http.StatusOK, map[string]string{"unit": c.PostForm("unit")})
	})
	s.engine.POST("/api/v1/test-probe/json", s.require(roleAnalyst, roleViewer), func(c *gin.Context) {
		var in struct{ Unit string }
		if err := c.ShouldBindJSON(&in); err != nil || !s.unitAllowed(c, in.Unit) {
			s.fail(c, errNotFound)
			return
		}
		c.JSON(http.StatusOK, map[string]string{"unit": in.Unit})
	})
	vd := e.loginAs("viewer", "DINKES")
	an := e.loginAs("analyst")
	mp, mph := upload(t, map[string]string{"unit": "DISDIK"}, nil, vd)
	e.run([]scenario{
		{name: "form body, own unit", method: "POST", path: "/api/v1/test-probe/form", body: form("unit", "DINKES"), header: vd, wantStatus: 200},
		{name: "form body, other unit", method: "POST", path: "/api/v1/test-probe/form", body: form("unit", "DISDIK"), header: vd, wantStatus: 404, notWant: []string{"DISDIK"}},
		{name: "form body, own and other", method: "POST", path: "/api/v1/test-probe/form", body: form("unit", "DINKES", "unit", "DISDIK"), header: vd, wantStatus: 404},
		{name: "query beats form", method: "POST", path: "/api/v1/test-probe/form?unit=DISDIK", body: form("unit", "DINKES"), header: vd, wantStatus: 404},
		{name: "multipart body, other unit", method: "POST", path: "/api/v1/test-probe/form", body: mp, header: mph, wantStatus: 404},
		{name: "analyst, any unit", method: "POST", path: "/api/v1/test-probe/form", body: form("unit", "DISDIK"), header: an, wantStatus: 200},
		{name: "json body, own unit", method: "POST", path: "/api/v1/test-probe/json", body: `{"unit":"DINKES"}`, header: vd, wantStatus: 200},
		{name: "json body, other unit", method: "POST", path: "/api/v1/test-probe/json", body: `{"unit":"DISDIK"}`, header: vd, wantStatus: 404},
		{name: "inspector lacks the role", method: "POST", path: "/api/v1/test-probe/json", body: `{"unit":"DISDIK"}`, header: e.loginAs("inspector"), wantStatus: 403},
		{name: "anonymous", method: "POST", path: "/api/v1/test-probe/json", body: `{"unit":"DISDIK"}`, wantStatus: 401},
	})
}
