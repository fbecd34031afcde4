package export

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// readBack reads the tables of an export: by file name for CSV and ZIP
// (a plain CSV is "data"), by sheet name for XLSX, with the notes (the
// README's paragraphs or the notes sheet's rows). A plain CSV must hold no
// comment line: pandas, R and Excel read it as a data row.
func readBack(t *testing.T, format string, raw []byte, notesSheet string) (map[string][][]string, []string, map[string][]byte) {
	t.Helper()
	tables := map[string][][]string{}
	files := map[string][]byte{}
	readCSV := func(b []byte) [][]string {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "#") {
				t.Errorf("comment line inside CSV data: %q", l)
			}
		}
		r := csv.NewReader(bytes.NewReader(b))
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	var notes []string
	switch format {
	case CSV:
		tables["data"] = readCSV(raw)
	case ZIP:
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			files[f.Name] = b
			switch {
			case strings.HasSuffix(f.Name, ".csv"):
				tables[f.Name] = readCSV(b)
			case f.Name == "README.txt":
				for _, p := range strings.Split(string(b), "\r\n\r\n") {
					if p != "" {
						notes = append(notes, p)
					}
				}
			}
		}
	case XLSX:
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, sh := range f.GetSheetList() {
			rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if sh == notesSheet {
				for _, r := range rows {
					notes = append(notes, r[0])
				}
				continue
			}
			tables[sh] = rows
		}
	}
	return tables, notes, files
}
