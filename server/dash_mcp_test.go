package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"integritas/analysis"
	"integritas/results"
)

// mcpMatrix lists the MCP routes (issue 19) with the status each caller
// gets, in the order of matrixRoles.
func mcpMatrix() []access {
	return []access{
		{route: "GET /dash/:period/mcp", path: "/dash/SPI-T/mcp", want: readerPage(200), wantHas: "Pengadaan barang dan jasa"},
		{route: "GET /dash/:period/units/:unit/mcp", path: "/dash/SPI-T/units/DISDIK/mcp", want: scopedPage(404, 200), wantHas: "Dinas Pendidikan"},
		{path: "/dash/SPI-T/units/DINKES/mcp?unit=DISDIK", want: scopedPage(404, 404), wantHas: "Dinas Kesehatan"},
		{route: "GET /charts/:period/mcp/:area/chart.png", path: "/charts/SPI-T/mcp/pengadaan/chart.png", want: readerPage(200)},
		{route: "GET /charts/:period/mcp/:area/chart.svg", path: "/charts/SPI-T/mcp/pengadaan/chart.svg", want: readerPage(200), wantHas: "MCP"},
		{path: "/charts/SPI-T/mcp/kesehatan/chart.svg", want: byRole{303, 404, 404, 404, 403, 403}},
		{route: "GET /export/:period/mcp.csv", path: "/export/SPI-T/mcp.csv", want: readerPage(200), wantHas: "pengadaan"},
		{route: "GET /export/:period/mcp.xlsx", path: "/export/SPI-T/mcp.xlsx", want: readerPage(200)},
		{route: "GET /export/:period/mcp.zip", path: "/export/SPI-T/mcp.zip", want: readerPage(200)},
		{route: "GET /api/v1/periods/:period/mcp", path: "/api/v1/periods/SPI-T/mcp", want: byRole{401, 200, 200, 200, 403, 403}, wantHas: `"pengadaan"`},
		{route: "GET /api/v1/periods/:period/units/:unit/mcp", path: "/api/v1/periods/SPI-T/units/DISDIK/mcp", want: scopedAPI(404, 200), wantHas: `"DISDIK"`},
		{route: "GET /inspectorate/:period/mcp", path: "/inspectorate/SPI-T/mcp", want: inspectorPage(200), wantHas: "pengadaan"},
		{route: "POST /inspectorate/:period/mcp", path: "/inspectorate/SPI-T/mcp", fields: map[string]string{"kind": "pmprb"},
			files: map[string]string{"file:pmprb.csv": "year,unit,score\n2024,DINKES,70\n"}, want: inspectorPage(303)},
	}
}

// seedMCP imports three years of MCP scores: pengadaan for the city,
// APIP high on paper for DISDIK (whose external respondents score
// sosialisasi low: 66,56, CI upper end 71,04), pajak daerah for PKM1 (whose 3
// answers are under k), and PMPRB for DISDIK.
func seedMCP(t *testing.T, e *testEnv) int {
	t.Helper()
	ctx := context.Background()
	y := results.Year(e.period)
	mcp := "year,area,unit,score\n"
	for i, s := range []float64{80, 86, 92} {
		yr := y - 2 + i
		mcp += fmt.Sprintf("%d,pengadaan,,%g\n%d,apip,DISDIK,%g\n%d,pajak_daerah,PKM1,%g\n", yr, s, yr, s+2, yr, s+5)
	}
	if _, err := e.store.ImportMCPCSV(ctx, "mcp.csv", strings.NewReader(mcp)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ImportPMPRBCSV(ctx, "pmprb.csv", strings.NewReader(fmt.Sprintf("year,unit,score\n%d,DISDIK,61.5\n", y))); err != nil {
		t.Fatal(err)
	}
	return y
}

func TestMCPRouteRoleMatrix(t *testing.T) {
	e, _ := dashEnv(t)
	seedMCP(t, e)
	headers := []map[string]string{nil, e.loginAs("admin"), e.loginAs("inspector"), e.loginAs("analyst"),
		e.loginAs("viewer", "DINKES"), e.loginAs("viewer", "DISDIK")}
	for _, a := range mcpMatrix() {
		for i, caller := range matrixRoles {
			t.Run(a.path+" as "+caller, func(t *testing.T) {
				method, body, h := http.MethodGet, "", headers[i]
				if a.files != nil {
					method = http.MethodPost
					body, h = upload(t, a.fields, a.files, headers[i])
				}
				resp, got := e.send(method, a.path, body, h)
				if want := a.want[i]; resp.StatusCode != want {
					t.Fatalf("status %d, want %d; body %.200s", resp.StatusCode, want, got)
				}
				if method == http.MethodGet && resp.StatusCode == 200 && a.wantHas != "" && !strings.Contains(got, a.wantHas) {
					t.Errorf("body lacks %q: %.300s", a.wantHas, got)
				}
				if resp.StatusCode >= 400 && a.wantHas != "" && strings.Contains(got, a.wantHas) {
					t.Errorf("a refused caller sees %q", a.wantHas)
				}
			})
		}
	}
	// Only the admin's and the inspector's uploads were stored.
	if got, _ := e.store.PMPRBScores(context.Background()); len(got) != 2 {
		t.Errorf("PMPRB rows %+v, want the seeded one and the 2024 upload", got)
	}
}

// TestMCPSuppression: PKM1's lived figures rest on 3 answers, so its side
// shows no number and no gap on the page, the API and the export, while
// DISDIK's high paper score beside its low lived service scores shows the gap.
func TestMCPSuppression(t *testing.T) {
	e, h := dashEnv(t)
	seedMCP(t, e)
	_, body := e.send(http.MethodGet, "/api/v1/periods/SPI-T/mcp", "", h)
	var x analysis.CrossRef
	if err := json.Unmarshal([]byte(body), &x); err != nil {
		t.Fatal(err)
	}
	var pkm, disdik *analysis.CrossSide
	for _, a := range x.Areas {
		for i := range a.Units {
			switch {
			case a.Area == analysis.AreaPajak && a.Units[i].Unit == "PKM1":
				pkm = &a.Units[i]
			case a.Area == analysis.AreaAPIP && a.Units[i].Unit == "DISDIK":
				disdik = &a.Units[i]
			}
		}
	}
	if pkm == nil || disdik == nil {
		t.Fatalf("missing sides in %.500s", body)
	}
	if pkm.Status != analysis.StatusHidden || len(pkm.Gaps) != 0 {
		t.Errorf("PKM1 under k: status %s gaps %v", pkm.Status, pkm.Gaps)
	}
	for _, le := range pkm.Elements {
		if !le.Figure.Suppressed || le.Figure.Score != nil || le.Figure.CI != nil || le.Figure.N != nil {
			t.Errorf("PKM1 figure leaks: %+v", le.Figure)
		}
	}
	if disdik.Status != analysis.StatusGap || *disdik.PMPRB != 61.5 {
		t.Errorf("DISDIK: status %s, pmprb %v, elements %+v", disdik.Status, disdik.PMPRB, disdik.Elements)
	}
	e.run(as(h, []scenario{
		{name: "page shows the gap and hides PKM1", path: "/dash/SPI-T/mcp", wantStatus: 200,
			want: []string{"Kesenjangan: pencegahan di atas kertas saja", "baru ada di dokumen", "Disembunyikan: kurang dari k responden", "Aturan kesenjangan"}},
		{name: "PKM1's page: status suppressed, no gap text", path: "/dash/SPI-T/units/PKM1/mcp", wantStatus: 200,
			want: []string{"Optimalisasi pajak daerah", "Disembunyikan: kurang dari k responden"}, notWant: []string{"baru ada di dokumen"}},
	}))
	_, csv := e.send(http.MethodGet, "/export/SPI-T/mcp.csv", "", h)
	for _, line := range strings.Split(csv, "\n") {
		if strings.Contains(line, ",PKM1,") && !strings.Contains(line, ",,,,,,") {
			t.Errorf("export leaks PKM1 figures: %s", line)
		}
	}
}

// TestMCPUploadPage: the inspectorate's upload refuses a bad file whole,
// listing file:line: column problems, and the cycle's home page links it.
func TestMCPUploadPage(t *testing.T) {
	e := newTestEnv(t)
	insp := e.loginAs("inspector")
	body, h := upload(t, map[string]string{"kind": "mcp"}, map[string]string{"file:mcp.csv": "year,area,unit,score\n2026,pengadaan,,90\n2026,pengadaan,NOPE,101\n"}, insp)
	e.run([]scenario{
		{name: "home links the section", path: "/inspectorate/SPI-T", header: insp, wantStatus: 200,
			want: []string{"/inspectorate/SPI-T/mcp", "impor skor MCP KPK per area"}},
		{name: "bad file refused whole", method: "POST", path: "/inspectorate/SPI-T/mcp", body: body, header: h, wantStatus: 400,
			want: []string{"Berkas ditolak; tidak ada yang disimpan.", `mcp.csv:3: unit: unit &#34;NOPE&#34; belum ada`, `mcp.csv:3: score: &#34;101&#34; bukan nilai`}},
	})
	if got, _ := e.store.MCPScores(context.Background()); len(got) != 0 {
		t.Errorf("a refused upload stored %+v", got)
	}
}
