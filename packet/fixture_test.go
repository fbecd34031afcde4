package packet

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"integritas/assets"
	"integritas/internal/demo"
	"integritas/internal/testdeps"
	"integritas/locale"
	"integritas/results"
	"integritas/survey"
)

// evilName is a unit name that would run as markup or as a spreadsheet formula.
const evilName = `=cmd|' /C calc'!A0 <script>alert(1)</script>`

var fixtureNow = time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)

// demoStore builds the demo city, renames DINSOS to evilName and gives the
// previous period an action plan, so every section of a packet has content.
func demoStore(t testing.TB) *survey.Store {
	t.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), survey.WithClock(func() time.Time { return fixtureNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Build(ctx, st, demo.Options{Seed: 7, Now: fixtureNow, Instrument: assets.DefaultInstrument()}); err != nil {
		t.Fatal(err)
	}
	cur, _ := st.Period(ctx, demo.Current)
	u, err := st.Unit(ctx, cur.ID, "DINSOS")
	if err != nil {
		t.Fatal(err)
	}
	u.Name = evilName
	if err := st.UpdateUnit(ctx, cur.ID, u); err != nil {
		t.Fatal(err)
	}
	prev, _ := st.Period(ctx, demo.Previous)
	if err := st.SaveActionPlans(ctx, prev.ID, []survey.ActionPlan{{UnitCode: "DPUPR", Element: "pbj", Action: "Publikasi RUP dan HPS",
		Owner: "Sekretaris Dinas", DueDate: "2026-03-31", Status: "done", Evidence: "SK Kadis 12/2026", UpdatedBy: "test"}}); err != nil {
		t.Fatal(err)
	}
	return st
}

func bundle(t testing.TB) *locale.Bundle {
	t.Helper()
	b, err := locale.Load(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func demoSource(t testing.TB, st *survey.Store) *Source {
	t.Helper()
	return loadSource(t, st, demo.Current, bundle(t), demoOrg())
}

// demoOrg are organisation settings as an admin of the demo city would
// store them, every field of the official letter set.
func demoOrg() survey.OrgSettings {
	org := survey.DefaultOrgSettings()
	org.Inspectorate, org.Letterhead = "Inspektorat Kota Sukamaju", "Pemerintah Kota Sukamaju"
	org.Address = "Jl. Merdeka No. 1, Sukamaju 12345\nTelepon (021) 555-0101"
	org.LetterNumber, org.LetterNature, org.LetterPlace = "700/{seq}/INSP/{month}/{year}", "Penting", "Sukamaju"
	org.Signatory, org.SignatoryNIP = "Dr. Ratna Wulandari, S.H., M.Si.", "19700817 199503 2 004"
	org.SignatoryTitle, org.SignatoryRank = "Inspektur Kota Sukamaju", "Pembina Utama Muda (IV/c)"
	return org
}

// loadSource reads a period's history through results, as the server and
// the command line do, and prepares its packets.
func loadSource(t testing.TB, st *survey.Store, code string, b *locale.Bundle, org survey.OrgSettings) *Source {
	t.Helper()
	h, err := results.LoadHistory(context.Background(), st, results.Computer(st), code)
	if err != nil {
		t.Fatal(err)
	}
	src, err := NewSource(h, b, org, fixtureNow)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// pdfText turns a PDF into text with poppler's pdftotext. It skips when the
// tool is missing, unless INTEGRITAS_REQUIRE_ALL=1 (as in CI) makes that a failure.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		testdeps.Missing(t, "pdftotext", "install poppler-utils (apt-get install poppler-utils)")
	}
	in := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// unzip returns the packet's files by name.
func unzip(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
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
		out[f.Name] = b
	}
	return out
}
