package poster

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"integritas/internal/testdeps"
)

func TestPostersOnePagePerUnit(t *testing.T) {
	var ps []Poster
	for _, u := range []string{"Dinas Kesehatan", "Badan Pendapatan Daerah"} {
		url := "https://spi.sukamaju.go.id/r/SPI-2026/" + strings.ToUpper(u[:4])
		qr, err := qrcode.Encode(url, qrcode.Medium, 512)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, Poster{Heading: "SURVEI PENILAIAN INTEGRITAS SPI 2026", Unit: u, Lines: []string{"Bagaimana pengalaman Anda?"},
			ScanHint: "Pindai kode QR ini", URL: url, QR: qr, Inspectorate: "Inspektorat Kota Sukamaju"})
	}
	var buf bytes.Buffer
	if err := Write(&buf, ps); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Fatal("not a PDF")
	}
	if err := Write(&bytes.Buffer{}, nil); err == nil {
		t.Error("no posters accepted")
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		testdeps.Missing(t, "pdftotext", "install poppler-utils (apt-get install poppler-utils)")
	}
	f := filepath.Join(t.TempDir(), "p.pdf")
	os.WriteFile(f, buf.Bytes(), 0o600)
	out, err := exec.Command(bin, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) < 2 || !strings.Contains(pages[0], "Dinas Kesehatan") || !strings.Contains(pages[1], "Badan Pendapatan Daerah") ||
		!strings.Contains(pages[1], "https://spi.sukamaju.go.id/r/SPI-2026/BADA") {
		t.Fatalf("pages: %q", out)
	}
}
