package server

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"integritas/survey"
)

// TestHostileTextReappears stores hostile text through every field that
// takes free text — a unit's name, a user's name, a period's name, a
// correction's reason, an action plan, a decision note, respondents' free
// answers — and follows it everywhere it reappears: every page shows it
// escaped, the JSON API returns it intact (and not as live HTML), and
// every export and packet workbook neutralises formulas.
func TestHostileTextReappears(t *testing.T) {
	e := newRespondEnv(t)
	e.unlimited()
	admin, insp, analyst := e.loginAs("admin"), e.loginAs("inspector"), e.loginAs("analyst")
	unitName := `=cmd|' /C calc'!A0 ` + xss + ` ../../x`
	texts := []string{formula, xss, xssAttr, sqlFrag, "@SUM(1+1)*cmd|' /C calc'!A0", "+1-2", "-2+3", "\tTAB=1"}

	mustStatus(t, e, "POST", "/admin/periods/SPI-T/units/DINKES", form("name", unitName, "head_name", xssAttr, "internal_population", "120"), admin, 303)
	mustStatus(t, e, "POST", "/admin/users", form("email", "xss@example.go.id", "name", xssAttr, "role", "viewer", "units", "DINKES", "password", testPassword), admin, 303)
	body, h := upload(t, map[string]string{"code": "SPI-XSS", "name": xss}, nil, insp)
	mustStatus(t, e, "POST", "/admin/periods", body, h, 303)
	mustStatus(t, e, "POST", "/inspectorate/SPI-T/corrections", form("unit", "DINKES", "kind", "other", "points", "1.5", "reason", formula+" "+xss, "evidence", xssAttr), insp, 303)
	mustStatus(t, e, "POST", "/inspectorate/SPI-T/followup", form("unit", "DINKES", "element", "pbj", "action", formula+" "+xss, "owner", xssAttr, "status", "planned"), insp, 303)
	for i := range 12 { // more than k_text, so the export carries the texts
		answers := fmt.Sprintf(`{"T01": "%d", "SOS01": "3", "SOS02": "5", "X01": %q}`, 1+i%5, texts[i%len(texts)])
		mustStatus(t, e, "POST", "/api/v1/responses", `{"period": "SPI-T", "unit": "DINKES", "answers": `+answers+`}`, nil, 201)
	}
	mustStatus(t, e, "POST", "/dash/SPI-T/quality/1", form("decision", "exclude", "note", xss), analyst, 303)

	raw := []string{xss, xssAttr, "<img src=x"}
	escaped := "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
	pages := []struct {
		path string
		who  map[string]string
		want string // the escaped payload must be on the page
	}{
		{"/admin/periods/SPI-T/units", insp, escaped},
		{"/admin/periods/SPI-T/units/DINKES", insp, escaped},
		{"/admin/periods", insp, escaped},
		{"/admin/users", admin, "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"},
		{"/admin/audit", admin, ""},
		{"/dash", analyst, ""},
		{"/dash/SPI-T", analyst, ""},
		{"/dash/SPI-T/units", analyst, escaped},
		{"/dash/SPI-T/units/DINKES", analyst, escaped},
		{"/dash/SPI-T/heatmap", analyst, ""},
		{"/dash/SPI-T/quality", analyst, ""},
		{"/dash/SPI-T/elements/pbj", analyst, ""},
		{"/inspectorate/SPI-T/corrections", insp, escaped},
		{"/inspectorate/SPI-T/followup", insp, escaped},
		{"/inspectorate/SPI-T/invitations", insp, ""},
		{"/inspectorate/SPI-T/roster", insp, ""},
		{"/r/SPI-T/DINKES", nil, escaped},
		{"/s/" + e.invite("DINKES", "internal", 1)[0], nil, escaped},
		{"/charts/SPI-T/ranking.svg", analyst, ""},
		{"/charts/SPI-T/units/DINKES/profile.svg", analyst, ""},
	}
	for _, p := range pages {
		t.Run("page "+p.path, func(t *testing.T) {
			code, body, _ := e.do("GET", p.path, "", p.who)
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			for _, r := range raw {
				if strings.Contains(body, r) {
					t.Errorf("raw %q on the page", r)
				}
			}
			if p.want != "" && !strings.Contains(body, p.want) {
				t.Errorf("the escaped text %q is not on the page", p.want)
			}
		})
	}

	t.Run("API JSON", func(t *testing.T) {
		for _, path := range []string{"/api/v1/periods/SPI-T/units", "/api/v1/periods/SPI-T/results", "/api/v1/periods/SPI-T/units/DINKES"} {
			code, body, h := e.do("GET", path, "", e.tokenAs("analyst"))
			if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Fatalf("%s: %d %s", path, code, h.Get("Content-Type"))
			}
			if strings.Contains(body, "<script") || !json.Valid([]byte(body)) {
				t.Errorf("%s: raw markup or invalid JSON", path)
			}
			if !strings.Contains(body, mustJSON(unitName)) {
				t.Errorf("%s: the unit's name does not come back intact", path)
			}
		}
	})

	for _, path := range []string{"/export/SPI-T/results.csv", "/export/SPI-T/answers.csv", "/admin/audit.csv"} {
		t.Run("CSV "+path, func(t *testing.T) {
			who := analyst
			if strings.HasPrefix(path, "/admin") {
				who = admin
			}
			code, body, _ := e.do("GET", path, "", who)
			if code != 200 {
				t.Fatalf("status %d", code)
			}
			checkCSVCells(t, body, path != "/admin/audit.csv")
		})
	}
	for _, path := range []string{"/export/SPI-T/results.xlsx", "/export/SPI-T/answers.xlsx"} {
		t.Run("XLSX "+path, func(t *testing.T) {
			code, body, _ := e.do("GET", path, "", analyst)
			if code != 200 {
				t.Fatalf("status %d", code)
			}
			checkWorkbook(t, []byte(body), true)
		})
	}
	t.Run("packet", func(t *testing.T) {
		mustStatus(t, e, "POST", "/inspectorate/SPI-T/packets/build", form("lang", "id"), insp, 303)
		if j := e.waitJob("SPI-T"); j.Status != survey.JobDone {
			t.Fatalf("packet build: %+v", j)
		}
		code, body, _ := e.do("GET", "/packets/SPI-T/DINKES", "", insp)
		if code != 200 {
			t.Fatalf("download: %d", code)
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		workbooks := 0
		for _, f := range zr.File {
			if strings.Contains(f.Name, "..") || strings.ContainsAny(f.Name, `\:<>`) || strings.HasPrefix(f.Name, "/") {
				t.Errorf("unsafe file name in the packet: %q", f.Name)
			}
			if strings.HasSuffix(f.Name, ".xlsx") {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				checkWorkbook(t, b, false)
				workbooks++
			}
		}
		if workbooks == 0 {
			t.Errorf("no workbook in the packet: %d files", len(zr.File))
		}
	})
}

// mustStatus sends a request (not following redirects) and requires status.
func mustStatus(t *testing.T, e *respondEnv, method, path, body string, header map[string]string, status int) {
	t.Helper()
	resp, b := e.send(method, path, body, header)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: %d, want %d: %.300s", method, path, resp.StatusCode, status, b)
	}
}

func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// formulaStart is what makes a spreadsheet read a cell as a formula.
func formulaStart(s string) bool { return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) }

// checkCSVCells parses a CSV export: no cell may start like a formula, and
// (when sure) a hostile text must be there, neutralised with a quote.
func checkCSVCells(t *testing.T, body string, wantHostile bool) {
	t.Helper()
	r := csv.NewReader(strings.NewReader(body))
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	found := false
	for _, rec := range recs {
		for _, c := range rec {
			if formulaStart(c) && !isNumber(c) {
				t.Errorf("a cell starts like a formula: %q", c)
			}
			found = found || strings.HasPrefix(c, "'=")
		}
	}
	if wantHostile && !found {
		t.Errorf("no neutralised formula in the export: the hostile text did not reach it")
	}
}

// checkWorkbook opens an XLSX: no cell holds a formula or a text starting
// like one.
func checkWorkbook(t *testing.T, b []byte, wantHostile bool) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	found := false
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for y, row := range rows {
			for x, c := range row {
				ref, _ := excelize.CoordinatesToCellName(x+1, y+1)
				if fo, _ := f.GetCellFormula(sheet, ref); fo != "" {
					t.Errorf("%s!%s holds a formula: %q", sheet, ref, fo)
				}
				if formulaStart(c) && !isNumber(c) {
					t.Errorf("%s!%s starts like a formula: %q", sheet, ref, c)
				}
				found = found || strings.HasPrefix(c, "'=")
			}
		}
	}
	if wantHostile && !found {
		t.Error("no neutralised formula in the workbook")
	}
}

// isNumber allows negative numbers, which start with '-'.
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
