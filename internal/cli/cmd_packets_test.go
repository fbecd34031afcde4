package cli

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPacketsSampleAndMailCommands(t *testing.T) {
	db := cliDB(t)
	dir := t.TempDir()
	roster := filepath.Join(dir, "roster.csv")
	var b strings.Builder
	b.WriteString("unit,type,name,email,years_institution,years_unit\n")
	for i := 0; i < 40; i++ {
		b.WriteString("A,internal,Staf " + string(rune('A'+i%26)) + string(rune('a'+i/26)) + ",s" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@a.example,5,3\n")
	}
	os.WriteFile(roster, []byte(b.String()), 0o600)
	if code, _, e := runCLI(t, "", "import", "roster", "--db", db, "--period", "P", roster); code != 0 {
		t.Fatal(e)
	}
	out := filepath.Join(dir, "packets")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"packets", []string{"packets", "--db", db, "--period", "P", "--out", out}, 0, "2 paket ditulis", "paket 2/2"},
		{"packets of one unit in English", []string{"packets", "--db", db, "--period", "P", "--out", out, "--lang", "en", "--units", "B"}, 0, "1 packets written", ""},
		{"packets: unknown unit", []string{"packets", "--db", db, "--period", "P", "--out", out, "--units", "NOPE"}, 1, "", "tidak ditemukan"},
		{"packets: bad language", []string{"packets", "--db", db, "--period", "P", "--out", out, "--lang", "fr"}, 1, "", "--lang"},
		{"packets: no out", []string{"packets", "--db", db, "--period", "P"}, 1, "", "--out wajib diisi"},
		{"sample", []string{"sample", "--db", db, "--period", "P", "--seed", "11", "--types", "internal"}, 0, "benih 11, margin 5,0 poin: 37 orang ditarik", ""},
		{"sample: bad margin", []string{"sample", "--db", db, "--period", "P", "--margin", "20"}, 1, "", "--margin"},
		{"sample: bad seed", []string{"sample", "--db", db, "--period", "P", "--seed", "x"}, 1, "", "--seed"},
		{"sample and invite", []string{"sample", "--db", db, "--period", "P", "--seed", "12", "--types", "internal", "--invite", "--units", "A"}, 0, "37 undangan dibuat; 37 surel masuk antrean", ""},
		{"remind", []string{"mail", "remind", "--db", db, "--period", "P", "--lang", "en"}, 0, "37 reminders queued", ""},
		{"mail log", []string{"mail", "log", "--db", db, "--period", "P"}, 0, "reminder", ""},
		{"mail send without SMTP", []string{"mail", "send", "--db", db}, 1, "", "belum ada server SMTP"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tc.args...)
			if code != tc.wantCode || !strings.Contains(stdout, tc.wantOut) || !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("code %d, stdout %q, stderr %q", code, stdout, stderr)
			}
		})
	}
	for _, unit := range []string{"A", "B"} {
		zr, err := zip.OpenReader(filepath.Join(out, unit+".zip"))
		if err != nil {
			t.Fatal(err)
		}
		if len(zr.File) < 3 {
			t.Errorf("%s.zip holds %d files", unit, len(zr.File))
		}
		zr.Close()
	}
}
