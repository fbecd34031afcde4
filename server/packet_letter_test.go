package server

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"integritas/internal/testdeps"
	"integritas/survey"
)

// pdfToText runs poppler's pdftotext on a PDF, or skips saying why.
func pdfToText(t *testing.T, pdf string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		testdeps.Missing(t, "pdftotext", "apt-get install poppler-utils")
	}
	in := filepath.Join(t.TempDir(), "p.pdf")
	must(t, os.WriteFile(in, []byte(pdf), 0o600))
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").Output()
	must(t, err)
	return regexp.MustCompile(`[ \t]+`).ReplaceAllString(string(out), " ")
}

// TestPacketLetterFromStoredSettings: the server's packet opens with the
// official letter written from the organisation settings an admin stored
// (nomor from the pattern, sifat, perihal, signatory with jabatan and NIP),
// marked SEMENTARA while the period is open and final once it is closed.
func TestPacketLetterFromStoredSettings(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	org := survey.DefaultOrgSettings()
	org.Inspectorate, org.Letterhead, org.LetterPlace = "Inspektorat Kota Uji", "Pemerintah Kota Uji", "Kota Uji"
	org.LetterNumber, org.LetterNature = "700/{seq}/IR-{unit}/{month}/{year}", "Segera"
	org.Signatory, org.SignatoryNIP, org.SignatoryTitle = "Ir. Bambang Sutejo", "19680412 199203 1 007", "Inspektur Kota Uji"
	must(t, e.store.SaveOrgSettings(ctx, org, "test"))
	insp := e.loginAs("inspector")
	preview := func() string {
		status, body, _ := e.do("GET", "/inspectorate/SPI-T/packets/DISDIK/preview", "", insp)
		if status != 200 || !strings.HasPrefix(body, "%PDF-") {
			t.Fatalf("preview: %d", status)
		}
		return pdfToText(t, body)
	}
	want := []string{"PEMERINTAH KOTA UJI", "INSPEKTORAT KOTA UJI", "Nomor : 700/002/IR-DISDIK/VI/2026", "Sifat : Segera",
		"Perihal : Hasil Survei Penilaian Integritas SPI Test", "Kota Uji, 15 Juni 2026", "Yth. Kepala Dinas Pendidikan",
		"Inspektur Kota Uji,", "Ir. Bambang Sutejo", "NIP 19680412 199203 1 007"}
	open := preview()
	for _, w := range append(want, "SEMENTARA / PROVISIONAL") {
		if !strings.Contains(open, w) {
			t.Errorf("open period's packet lacks %q:\n%.2500s", w, open)
		}
	}
	must(t, e.store.SetPeriodStatus(ctx, "SPI-T", survey.StatusClosed))
	closed := preview()
	for _, w := range want {
		if !strings.Contains(closed, w) {
			t.Errorf("closed period's packet lacks %q", w)
		}
	}
	if strings.Contains(closed, "SEMENTARA") {
		t.Error("a packet built after the period closed is still marked SEMENTARA")
	}
}
