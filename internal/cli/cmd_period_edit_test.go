package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"integritas/survey"
)

// The README's dates once opened a period already closed; now opening is
// refused with the fix, the draft is edited, then extended and deleted.
func TestPeriodEditExtendDeleteCLI(t *testing.T) {
	db := testDB(t, "p.db")
	run := func(want int, args ...string) string {
		t.Helper()
		code, out, errs := runInviteCLI(t, db, args...)
		if code != want {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
		return out + errs
	}
	run(0, "period", "create", "--code", "P", "--opens", "2020-01-01", "--closes", "2020-12-31")
	if msg := run(1, "period", "open", "--period", "P"); !strings.Contains(msg, "period edit --period P --closes") {
		t.Fatalf("refusal does not say how to fix it: %s", msg)
	}
	run(0, "period", "edit", "--period", "P", "--name", "SPI Baru", "--closes", "2099-12-31")
	run(0, "period", "open", "--period", "P")
	run(1, "period", "edit", "--period", "P", "--name", "x")
	run(1, "period", "extend", "--period", "P", "--closes", "2021-01-01")
	if msg := run(0, "period", "extend", "--period", "P", "--closes", "2100-01-31"); !strings.Contains(msg, "2100-01-31") {
		t.Fatal(msg)
	}
	if msg := run(0, "period", "list"); !strings.Contains(msg, "SPI Baru") || !strings.Contains(msg, "2100-01-31") {
		t.Fatal(msg)
	}
	run(0, "period", "delete", "--period", "P")
	if msg := run(0, "period", "list"); strings.Contains(msg, "SPI Baru") {
		t.Fatal("deleted period listed")
	}
}

// Commands take the base URL from the stored organisation settings unless
// --base-url is given.
func TestCLIUsesStoredOrgSettings(t *testing.T) {
	dir := t.TempDir()
	db := testDB(t, "o.db")
	ctx := context.Background()
	st, err := openDB(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	org := survey.DefaultOrgSettings()
	org.BaseURL, org.Inspectorate = "https://spi.sukamaju.go.id", "Inspektorat Kota Sukamaju"
	if err := st.SaveOrgSettings(ctx, org, "t"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, _, errs := runInviteCLI(t, db, "period", "create", "--code", "P")
	if code != 0 {
		t.Fatal(errs)
	}
	writeUnits(t, dir)
	runInviteCLI(t, db, "import", "units", "--period", "P", filepath.Join(dir, "units.csv"))
	_, out, errs := runInviteCLI(t, db, "invite", "--period", "P", "--unit", "DINKES", "--type", "internal", "--count", "1")
	if !strings.HasPrefix(out, "https://spi.sukamaju.go.id/s/") {
		t.Fatalf("stored base URL not used: %q %s", out, errs)
	}
	_, out, _ = runInviteCLI(t, db, "invite", "--period", "P", "--unit", "DINKES", "--type", "internal", "--count", "1", "--base-url", "http://localhost:9/")
	if !strings.HasPrefix(out, "http://localhost:9/s/") {
		t.Fatalf("--base-url does not override: %q", out)
	}
}

func writeUnits(t *testing.T, dir string) {
	t.Helper()
	b := "code,name,parent_code,head_email,internal_population,external_population,expert_population\nDINKES,Dinas Kesehatan,,,10,100,5\n"
	if err := os.WriteFile(filepath.Join(dir, "units.csv"), []byte(b), 0o600); err != nil {
		t.Fatal(err)
	}
}
