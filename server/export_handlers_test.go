package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"integritas/export"
)

func TestExportDownloads(t *testing.T) {
	e, an := dashEnv(t)
	r := e.computed("SPI-T")
	index := map[string]*float64{}
	for _, u := range r.Results.Units {
		index[u.Code] = u.Index
	}
	read := func(path string) ([][]string, string) {
		t.Helper()
		code, h, body := e.get(path, an)
		if code != 200 {
			t.Fatalf("%s: %d %s", path, code, body)
		}
		if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
			t.Errorf("%s: Content-Disposition %q", path, cd)
		}
		if strings.HasSuffix(path, ".csv") {
			// A plain CSV holds data only: a "#" line would be a data row to R.
			if strings.Contains("\n"+string(body), "\n#") {
				t.Errorf("%s: comment line in CSV data", path)
			}
			return readCSV(t, body), ""
		}
		if strings.HasSuffix(path, ".zip") {
			files := unzip(t, body)
			name := "results.csv"
			if strings.Contains(path, "answers") {
				name = "answers.csv"
			}
			return readCSV(t, files[name]), string(files["README.txt"])
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		notes, _ := f.GetRows(sheets[len(sheets)-1])
		var all []string
		for _, n := range notes {
			all = append(all, n...)
		}
		return rows, strings.Join(all, "\n")
	}
	for _, format := range export.Formats {
		t.Run("results "+format, func(t *testing.T) {
			rows, notes := read("/export/SPI-T/results." + format)
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			seen := 0
			for _, row := range rows[1:] {
				if row[col["level"]] != export.LevelUnit {
					continue
				}
				seen++
				code, want := row[col["unit"]], index[row[col["unit"]]]
				got := ""
				if col["index"] < len(row) {
					got = row[col["index"]]
				}
				if want == nil {
					if got != "" {
						t.Errorf("%s: suppressed index exported as %q", code, got)
					}
					continue
				}
				v, err := strconv.ParseFloat(got, 64)
				if err != nil || math.Abs(v-*want) > 5e-5 {
					t.Errorf("%s: index %q, want %v", code, got, *want)
				}
				if code == "PKM1" && row[col["name"]] != "'"+evilName {
					t.Errorf("formula not neutralised: %q", row[col["name"]])
				}
			}
			if seen != len(r.Results.Units) {
				t.Errorf("%d unit rows, want %d", seen, len(r.Results.Units))
			}
			if format == export.CSV {
				return // notes travel in the ZIP's README.txt and the XLSX's notes sheet
			}
			for _, w := range []string{"Periode: SPI Test", "Sel kosong", "Ukuran kelompok minimum (k): 5", "Respons bertanda: dihitung, kecuali dikecualikan oleh keputusan yang tercatat", "Metode: spi-method v2"} {
				if !strings.Contains(notes, w) {
					t.Errorf("notes lack %q: %s", w, notes)
				}
			}
		})
		t.Run("answers "+format, func(t *testing.T) {
			rows, notes := read("/export/SPI-T/answers." + format)
			for _, h := range rows[0] {
				if h == "id" || strings.Contains(h, "hour") || strings.Contains(h, "device") {
					t.Errorf("identifying column %q", h)
				}
			}
			units := map[string]int{}
			for _, row := range rows[1:] {
				units[row[0]]++
			}
			// PKM1 (3 internal answers) is under k; DISDIK internal goes with
			// it so that the city's figures cannot reveal PKM1's.
			if units["PKM1"] != 0 || units["DINKES"] != 66 || units["DISDIK"] != 20 {
				t.Errorf("rows per unit %v", units)
			}
			if format != export.CSV && (!strings.Contains(notes, "PKM1/Internal") || !strings.Contains(notes, "DISDIK/Internal")) {
				t.Errorf("notes do not name the groups left out: %s", notes)
			}
		})
	}
	log, err := e.store.AuditLog(context.Background(), "export.", 0)
	if err != nil || len(log) != 6 {
		t.Errorf("%d export audit entries, want 6 (%v)", len(log), err)
	}
	e.run(as(an, []scenario{
		{name: "unknown period", path: "/export/NOPE/results.csv", wantStatus: 404},
		{name: "unknown period answers", path: "/export/NOPE/answers.xlsx", wantStatus: 404},
		{name: "unknown format", path: "/export/SPI-T/results.ods", wantStatus: 404},
		{name: "include_flagged refused", path: "/export/SPI-T/results.csv?include_flagged=false", wantStatus: 400},
	}))
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rd := csv.NewReader(bytes.NewReader(b))
	rd.FieldsPerRecord = -1
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestResultsElementRowsEqualAPI: every unit × type × element row of the
// results ZIP and XLSX holds the JSON API's numbers to the last digit, and a
// suppressed figure is an empty cell with the API's reason.
func TestResultsElementRowsEqualAPI(t *testing.T) {
	e, an := dashEnv(t)
	code, _, body := e.get("/api/v1/periods/SPI-T/results", an)
	if code != 200 {
		t.Fatalf("API: %d", code)
	}
	type figure struct {
		Score, SE   *json.Number
		CI          *[2]json.Number
		N           *int
		Suppressed  bool
		Suppression string
	}
	var api struct {
		Units []struct {
			Code       string
			Components map[string]*struct{ Elements map[string]figure }
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&api); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	num := func(n *json.Number) string {
		if n == nil {
			return ""
		}
		return n.String()
	}
	for _, u := range api.Units {
		for typ, c := range u.Components {
			if c == nil {
				continue
			}
			for el, f := range c.Elements {
				row := []string{num(f.Score), num(f.SE), "", "", "", strconv.FormatBool(f.Suppressed), f.Suppression}
				if f.CI != nil {
					row[2], row[3] = f.CI[0].String(), f.CI[1].String()
				}
				if f.N != nil {
					row[4] = strconv.Itoa(*f.N)
				}
				want[u.Code+"/"+typ+"/"+el] = row
			}
		}
	}
	check := func(t *testing.T, rows [][]string, xlsx bool) {
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		seen, suppressed := 0, 0
		for _, r := range rows[1:] {
			for len(r) < len(rows[0]) {
				r = append(r, "")
			}
			if r[col["level"]] != export.LevelUnit {
				continue
			}
			key := r[col["unit"]] + "/" + r[col["type"]] + "/" + r[col["element"]]
			w, ok := want[key]
			if !ok {
				t.Errorf("%s: no such figure in the API", key)
				continue
			}
			got := []string{r[col["score"]], r[col["se"]], r[col["ci_low"]], r[col["ci_high"]], r[col["n_counted"]], r[col["suppressed"]], r[col["suppression"]]}
			if xlsx { // excelize writes booleans as 1/0; numbers carry Excel's 15 significant digits, rounded
				got[5] = map[string]string{"1": "true", "0": "false", "TRUE": "true", "FALSE": "false"}[got[5]]
				w = slices.Clone(w)
				for i := range 4 {
					if v, err := strconv.ParseFloat(w[i], 64); err == nil {
						w[i] = strconv.FormatFloat(v, 'g', 15, 64)
						if g, err := strconv.ParseFloat(got[i], 64); err == nil {
							got[i] = strconv.FormatFloat(g, 'g', 15, 64)
						}
					}
				}
			}
			if strings.Join(got, "|") != strings.Join(w, "|") {
				t.Errorf("%s: export %v, API %v", key, got, w)
			}
			if w[5] == "true" {
				suppressed++
			}
			seen++
		}
		if seen != len(want) || suppressed == 0 {
			t.Errorf("%d element rows (%d suppressed), the API has %d", seen, suppressed, len(want))
		}
	}
	t.Run("zip", func(t *testing.T) {
		code, _, body := e.get("/export/SPI-T/results.zip", an)
		if code != 200 {
			t.Fatalf("zip: %d", code)
		}
		check(t, readCSV(t, unzip(t, body)["elements.csv"]), false)
	})
	t.Run("xlsx", func(t *testing.T) {
		code, _, body := e.get("/export/SPI-T/results.xlsx", an)
		if code != 200 {
			t.Fatalf("xlsx: %d", code)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Elemen", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		check(t, rows, true)
	})
}
