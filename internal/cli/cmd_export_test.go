package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"integritas/assets"
	"integritas/internal/demo"
)

func TestCmdExport(t *testing.T) {
	dir := t.TempDir()
	db := testDB(t, "demo.db")
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	st, err := openDB(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Build(ctx, st, demo.Options{Seed: 3, Now: now, Instrument: assets.DefaultInstrument()}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	run := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		cl := &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: envFor(db), now: func() time.Time { return now }}
		code := cl.run(append(args, "--db", db))
		return code, errb.String()
	}
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"results csv", []string{"export", "--period", demo.Current, "--what", "results", "--format", "csv", "--out", filepath.Join(dir, "r.csv")}, 0, ""},
		{"answers xlsx in English", []string{"export", "--period", demo.Current, "--what", "answers", "--format", "xlsx", "--lang", "en", "--out", filepath.Join(dir, "a.xlsx")}, 0, "rows"},
		{"answers zip", []string{"export", "--period", demo.Current, "--what", "answers", "--format", "zip", "--out", filepath.Join(dir, "a.zip")}, 0, "baris"},
		{"unknown period", []string{"export", "--period", "NOPE", "--out", filepath.Join(dir, "x.csv")}, 1, "tidak ditemukan"},
		{"bad what", []string{"export", "--period", demo.Current, "--what", "rosters", "--out", filepath.Join(dir, "x.csv")}, 1, "--what"},
		{"bad format", []string{"export", "--period", demo.Current, "--format", "pdf", "--out", filepath.Join(dir, "x.pdf")}, 1, "--format"},
		{"no out", []string{"export", "--period", demo.Current}, 1, "--out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stderr := run(c.args...)
			if code != c.wantCode || !strings.Contains(stderr, c.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d with %q", code, stderr, c.wantCode, c.wantErr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); !os.IsNotExist(err) {
		t.Error("a failed export left a file")
	}
	f, err := os.Open(filepath.Join(dir, "r.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 30 || rows[0][0] != "level" {
		t.Errorf("results csv: %d rows, %v", len(rows), err)
	}
	x, err := excelize.OpenFile(filepath.Join(dir, "a.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if sheets := x.GetSheetList(); len(sheets) != 3 || sheets[0] != "Answers" || sheets[1] != "Codebook" || sheets[2] != "Notes" {
		t.Errorf("sheets %v", sheets)
	}
	zr, err := zip.OpenReader(filepath.Join(dir, "a.zip"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	zr.Close()
	if got := strings.Join(names, " "); got != "answers.csv codebook.csv README.txt answers.sps answers.R" {
		t.Errorf("zip holds %s", got)
	}
	if info, _ := os.Stat(filepath.Join(dir, "a.xlsx")); info.Mode().Perm() != 0o600 {
		t.Errorf("answers file mode %v, want 0600", info.Mode().Perm())
	}
	st, _ = openDB(ctx, db)
	defer st.Close()
	log, _ := st.AuditLog(ctx, "export.", 0)
	if len(log) != 3 {
		t.Errorf("%d export audit entries, want 3", len(log))
	}
}
