package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"integritas/export"
)

func TestExportDownloads(t *testing.T) {
	e, an := dashEnv(t)
	r := e.computed("SPI-T", nil)
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
			rd := csv.NewReader(bytes.NewReader(body))
			rd.Comment = '#'
			rd.FieldsPerRecord = -1
			rows, err := rd.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return rows, string(body)
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
		notes, _ := f.GetRows(sheets[1])
		var all []string
		for _, n := range notes {
			all = append(all, n...)
		}
		return rows, strings.Join(all, "\n")
	}
	for _, format := range []string{"csv", "xlsx"} {
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
			for _, w := range []string{"Periode: SPI Test", "Sel kosong", "Ukuran kelompok minimum (k): 5", "Respons bertanda: dikecualikan"} {
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
			if !strings.Contains(notes, "PKM1/Internal") || !strings.Contains(notes, "DISDIK/Internal") {
				t.Errorf("notes do not name the groups left out: %s", notes)
			}
		})
	}
	log, err := e.store.AuditLog(context.Background(), "export.", 0)
	if err != nil || len(log) != 4 {
		t.Errorf("%d export audit entries, want 4 (%v)", len(log), err)
	}
	e.run(as(an, []scenario{
		{name: "unknown period", path: "/export/NOPE/results.csv", wantStatus: 404},
		{name: "unknown period answers", path: "/export/NOPE/answers.xlsx", wantStatus: 404},
		{name: "unknown format", path: "/export/SPI-T/results.ods", wantStatus: 404},
		{name: "bad include_flagged", path: "/export/SPI-T/results.csv?include_flagged=x", wantStatus: 400},
	}))
}
