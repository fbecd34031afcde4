package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"integritas/survey"
)

const msgCrossSite = "Permintaan lintas situs ditolak."

// TestHostileCrossSite forges every state-changing route of the engine
// from another site — a signed-in admin's browser carrying the session
// cookie, on a page of evil.example — and expects 403 with a message and
// no change, whether the browser says so in Sec-Fetch-Site or only in
// Origin. The session survives the forged logout.
func TestHostileCrossSite(t *testing.T) {
	e := newRespondEnv(t)
	admin := e.loginAs("admin")
	tok := e.invite("DINKES", survey.Internal, 1)[0]
	params := strings.NewReplacer(":period", "SPI-T", ":unit", "DINKES", ":token", tok, ":id", "1", ":response", "1")
	forged := []map[string]string{
		{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
		{"Sec-Fetch-Site": "same-site", "Origin": "https://evil.integritas.test"},
		{"Origin": "https://evil.example"},
		{"Origin": "null"},
	}
	var cases []hostile
	for _, r := range e.srv.engine.Routes() {
		if r.Method != http.MethodPost {
			continue
		}
		for i, f := range forged {
			h := map[string]string{"Cookie": admin["Cookie"]}
			for k, v := range f {
				h[k] = v
			}
			cases = append(cases, hostile{name: r.Path + "/" + string(rune('a'+i)), method: "POST", path: params.Replace(r.Path),
				body:   valid("name", "Diretas", "reason", "x", "points", "1", "unit", "DINKES", "email", "x@evil.example", "role", "admin", "password", testPassword),
				header: h, wantStatus: 403, want: []string{msgCrossSite}})
		}
	}
	if len(cases) < 4*20 {
		t.Fatalf("only %d forged requests: the route table was not read", len(cases))
	}
	e.hostile(cases)
	// The forged logout did not end the session.
	if code, _, _ := e.do("GET", "/admin/users", "", admin); code != 200 {
		t.Errorf("after forged posts the admin session answers %d", code)
	}
}

// TestHostileOtherUnits: a viewer of DINKES asking for DISDIK's data, by
// page, chart, API, packet or form value, gets the same 404 as for a unit
// that does not exist; staff naming ids of another period get 404 too.
func TestHostileOtherUnits(t *testing.T) {
	e := newRespondEnv(t)
	ctx := context.Background()
	viewer := e.loginAs("viewer", "DINKES")
	viewerAPI := e.tokenAs("viewer", "DINKES")
	analyst := e.loginAs("analyst")
	insp := e.loginAs("inspector")
	admin := e.loginAs("admin")
	// A response and a correction in SPI-X, whose ids the staff of SPI-T
	// name in the path.
	x, err := e.store.Period(ctx, "SPI-X")
	must(t, err)
	must(t, e.store.InsertResponses(ctx, []survey.NewResponse{{PeriodID: x.ID, UnitID: unitID(t, e.testEnv, x.ID, "KOTA"), Type: survey.External,
		Channel: survey.ChannelPaper, Submitted: e.now, Duration: -1, Answers: survey.Answers{Vector: make([]byte, len(x.Instrument.Items))}}}))
	corrID, err := e.store.AddCorrection(ctx, survey.Correction{PeriodID: x.ID, UnitCode: "KOTA", Kind: "other", Points: 1, Reason: "x", SetBy: "t"})
	must(t, err)
	respID := int64(e.count(`SELECT max(id) FROM responses`))
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	e.hostile([]hostile{
		{name: "viewer: another unit's page", path: "/dash/SPI-T/units/DISDIK", header: viewer, wantStatus: 404, want: []string{msgNotFound}},
		{name: "viewer: another unit's chart", path: "/charts/SPI-T/units/DISDIK/profile.png", header: viewer, wantStatus: 404},
		{name: "viewer: another unit's trend", path: "/charts/SPI-T/units/DISDIK/trend.svg", header: viewer, wantStatus: 404},
		{name: "viewer: another unit's results by API", path: "/api/v1/periods/SPI-T/units/DISDIK", header: viewerAPI, wantStatus: 404, want: []string{`"code":"not_found"`}},
		{name: "viewer: another unit's packet by API", path: "/api/v1/periods/SPI-T/units/DISDIK/packet", header: viewerAPI, wantStatus: 404},
		{name: "viewer: another unit's packet", path: "/packets/SPI-T/DISDIK", header: viewer, wantStatus: 404},
		{name: "viewer: another unit in the query", path: "/api/v1/periods/SPI-T/units?unit=DISDIK", header: viewerAPI, wantStatus: 404},
		{name: "viewer: a unit list smuggled in the query", path: "/dash/SPI-T/units/DINKES?unit=DINKES&unit=DISDIK", header: viewer, wantStatus: 404},
		{name: "viewer: the city's every unit", path: "/dash/SPI-T/units", header: viewer, wantStatus: 403},
		{name: "viewer: answers export", path: "/export/SPI-T/answers.csv", header: viewer, wantStatus: 403},
		{name: "viewer: an unknown unit looks the same", path: "/dash/SPI-T/units/NOPE", header: viewer, wantStatus: 404, want: []string{msgNotFound}},
		{name: "analyst: a decision is the Inspectorate's", method: "POST", path: "/inspectorate/SPI-T/decisions", body: form("unit", "DINKES", "action", "withhold", "reason", "x"),
			header: analyst, wantStatus: 403},
		{name: "inspector: a decision on another period's unit", method: "POST", path: "/inspectorate/SPI-T/decisions", body: form("unit", "KOTA", "action", "withhold", "reason", "x"),
			header: insp, wantStatus: 404},
		{name: "inspector: a cluster of another unit", method: "POST", path: "/inspectorate/SPI-T/decisions", body: form("unit", "DINKES", "action", "keep", "cluster", "DISDIK/internal/"+id(respID), "reason", "x"),
			header: insp, wantStatus: 400},
		{name: "inspector: revoke no decision", method: "POST", path: "/inspectorate/SPI-T/decisions/999999/revoke", body: form("reason", "x"), header: insp, wantStatus: 404},
		{name: "inspector: revoke a negative id", method: "POST", path: "/inspectorate/SPI-T/decisions/-1/revoke", body: form("reason", "x"), header: insp, wantStatus: 404},
		{name: "inspector: delete another period's correction", method: "POST", path: "/inspectorate/SPI-T/corrections/" + id(corrID) + "/delete", body: form("why", "x"),
			header: insp, wantStatus: 404},
		{name: "inspector: resend another period's delivery", method: "POST", path: "/inspectorate/SPI-T/deliveries/1/resend", header: insp, wantStatus: 404},
		{name: "inspector: edit another period's unit", method: "POST", path: "/admin/periods/SPI-T/units/KOTA", body: form("name", "Diambil alih"), header: insp, wantStatus: 404},
		{name: "inspector: preview another period's unit packet", path: "/inspectorate/SPI-T/packets/KOTA/preview", header: insp, wantStatus: 404},
		{name: "admin: an account id out of range", path: "/admin/users/99999999999999999999", header: admin, wantStatus: 404},
		{name: "export of a period that does not exist", path: "/export/..%2f..%2fetc/results.csv", header: analyst, wantStatus: 404},
		{name: "export name with traversal", path: "/export/SPI-T/results.csv%2f..%2f..%2fpasswd", header: analyst, wantStatus: 404},
		{name: "chart path with traversal", path: "/charts/SPI-T/units/..%2f..%2fetc%2fpasswd/profile.png", header: analyst, wantStatus: 404},
		{name: "static file with traversal", path: "/static/..%2f..%2fgo.mod", wantStatus: 404},
		{name: "static file with a dot-dot", path: "/static/../templates/layout.html", wantStatus: 404},
		{name: "packet link forged", path: "/packet/" + strings.Repeat("A", 43), wantStatus: 404},
		{name: "packet link with traversal", path: "/packet/..%2f..%2fetc%2fpasswd", wantStatus: 404},
	})
}

func unitID(t *testing.T, e *testEnv, periodID int64, code string) int64 {
	t.Helper()
	u, err := e.store.Unit(context.Background(), periodID, code)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
