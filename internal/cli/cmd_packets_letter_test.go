package cli

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"integritas/internal/testdeps"
	"integritas/survey"
)

// packetLetter builds unit B's packet with the command line and returns
// the text of its PDF through pdftotext, blanks folded.
func packetLetter(t *testing.T, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		testdeps.Missing(t, "pdftotext", "apt-get install poppler-utils")
	}
	out := t.TempDir()
	if code, _, e := runCLI(t, "", append([]string{"packets", "--out", out, "--units", "B"}, args...)...); code != 0 {
		t.Fatal(e)
	}
	zr, err := zip.OpenReader(filepath.Join(out, "B.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".pdf") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		pdf, _ := io.ReadAll(rc)
		rc.Close()
		in := filepath.Join(out, "B.pdf")
		if err := os.WriteFile(in, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		text, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return regexp.MustCompile(`[ \t]+`).ReplaceAllString(string(text), " ")
	}
	t.Fatal("the packet holds no PDF")
	return ""
}

// TestPacketsLetterFromStoredSettings: `integritas packets` writes the
// cover letter from the organisation settings stored in the database, as
// the server does (nomor, sifat, perihal, signatory and NIP), a flag still
// overriding the inspectorate's name; SEMENTARA until the period is closed.
func TestPacketsLetterFromStoredSettings(t *testing.T) {
	db := cliDB(t)
	ctx := context.Background()
	st, err := openDB(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	org := survey.DefaultOrgSettings()
	org.Inspectorate, org.Letterhead, org.LetterPlace = "Inspektorat Kabupaten Contoh", "Pemerintah Kabupaten Contoh", "Contoh"
	org.LetterNumber, org.LetterNature = "{unit}/{seq}/{year}", "Penting"
	org.Signatory, org.SignatoryNIP, org.SignatoryRank = "Siti Aminah, S.E.", "19750203 200003 2 001", "Pembina (IV/a)"
	if err := st.SaveOrgSettings(ctx, org, "test"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	want := []string{"PEMERINTAH KABUPATEN CONTOH", "INSPEKTORAT KABUPATEN CONTOH", "Nomor : B/002/2026", "Sifat : Penting",
		"Perihal : Hasil Survei Penilaian Integritas P", "Contoh, 1 Juni 2026", "Kepala Inspektorat Kabupaten Contoh,",
		"Siti Aminah, S.E.", "Pembina (IV/a)", "NIP 19750203 200003 2 001", "SEMENTARA / PROVISIONAL"}
	text := packetLetter(t, "--db", db, "--period", "P")
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("CLI packet lacks %q:\n%.2000s", w, text)
		}
	}
	if text := packetLetter(t, "--db", db, "--period", "P", "--inspectorate", "Inspektorat Uji Bendera"); !strings.Contains(text, "INSPEKTORAT UJI BENDERA") {
		t.Errorf("--inspectorate does not override the stored name:\n%.600s", text)
	}
	for _, step := range []string{"open", "close"} {
		if code, _, e := runCLI(t, "", "period", step, "--db", db, "--period", "P"); code != 0 {
			t.Fatal(e)
		}
	}
	final := packetLetter(t, "--db", db, "--period", "P")
	if strings.Contains(final, "SEMENTARA") || !strings.Contains(final, "NIP 19750203 200003 2 001") {
		t.Errorf("after close the packet should be final with the letter:\n%.1500s", final)
	}
}
