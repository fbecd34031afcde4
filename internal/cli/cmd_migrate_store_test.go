package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"integritas/internal/pgtest"
)

// TestMigrateStorePostgres copies the demo city from its SQLite file into an
// empty PostgreSQL database and reads back the same figures, exports and
// accounts there; a second copy into the now full database is refused and
// changes nothing.
func TestMigrateStorePostgres(t *testing.T) {
	url := pgtest.Database(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, _, errOut := runCLI(t, "", "demo", "--db", db, "--no-serve"); code != 0 {
		t.Fatalf("demo: %d\n%s", code, errOut)
	}
	code, out, errOut := runCLI(t, "", "migrate-store", "--from", db, "--to", url)
	if code != 0 {
		t.Fatalf("migrate-store: %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("%s", out)
	for _, want := range []string{"responses: ", "audit_log: ", "users: ", "invitations: ", "response_pool: "} {
		if !strings.Contains(out, want) {
			t.Errorf("the report has no line %q", want)
		}
	}
	// The figures computed on each store are the same, to the byte.
	for _, period := range []string{"SPI-2025", "SPI-2026"} {
		_, lite, e1 := runCLI(t, "", "results", "--db", db, "--period", period)
		_, pg, e2 := runCLI(t, "", "results", "--db", url, "--key-file", db+".key", "--period", period)
		if lite == "" || lite != pg {
			t.Errorf("results of %s differ between SQLite (%d bytes) and PostgreSQL (%d bytes)\n%s\n%s", period, len(lite), len(pg), e1, e2)
		}
	}
	// So are the anonymised answers exported (their order says nothing of
	// submission and is decided by the store: by unit, type and answers).
	dir := t.TempDir()
	litePath, pgPath := filepath.Join(dir, "lite.csv"), filepath.Join(dir, "pg.csv")
	_, _, e1 := runCLI(t, "", "export", "--db", db, "--period", "SPI-2026", "--what", "answers", "--out", litePath)
	_, _, e2 := runCLI(t, "", "export", "--db", url, "--key-file", db+".key", "--period", "SPI-2026", "--what", "answers", "--out", pgPath)
	lite, _ := os.ReadFile(litePath)
	pg, _ := os.ReadFile(pgPath)
	if len(lite) < 1000 || !bytes.Equal(lite, pg) {
		t.Errorf("answers export differs: SQLite %d bytes, PostgreSQL %d bytes\n%s\n%s", len(lite), len(pg), e1, e2)
	}
	if code, _, errOut := runCLI(t, "", "migrate-store", "--from", db, "--to", url); code == 0 || !strings.Contains(errOut, "sudah berisi") {
		t.Errorf("a second copy into a full database: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "migrate-store", "--from", db, "--to", db); code == 0 || !strings.Contains(errOut, "postgres://") {
		t.Errorf("a copy into a file: %d %s", code, errOut)
	}
}
