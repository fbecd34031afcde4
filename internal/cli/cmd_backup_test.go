package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"integritas/survey"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	db := cliDBAt(t, sqliteOnly(t, "i.db", "backup and restore copy the SQLite file; on PostgreSQL they refuse and name pg_dump (TestPostgresURLRefusedAndRedacted)"))
	runCLI(t, "kata-sandi-stdin-1\n", "user", "add", "--db", db, "--email", "a@example.go.id", "--role", "admin")
	bk := filepath.Join(t.TempDir(), "b.db")
	code, out, errOut := runCLI(t, "", "backup", "--db", db, bk)
	if code != 0 || !strings.Contains(out, "sudah diperiksa: integritas baik") || !strings.Contains(out, "1 pengguna") || !strings.Contains(out, "tidak memuat berkas kunci") {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	if fi, err := os.Stat(bk); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", fi, err)
	}
	if code, _, errOut := runCLI(t, "", "backup", "--db", db, bk); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("second backup to the same file: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "backup", "--db", filepath.Join(t.TempDir(), "none.db"), bk+"2"); code != 1 || !strings.Contains(errOut, "tidak ada") {
		t.Errorf("backup of a missing database: %d %q", code, errOut)
	}
	runCLI(t, "kata-sandi-stdin-2\n", "user", "add", "--db", db, "--email", "later@example.go.id", "--role", "analyst")

	// A running server holds the database open: restore refuses.
	st, err := survey.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "", "restore", "--db", db, bk)
	st.Close()
	if code != 1 || !strings.Contains(errOut, "hentikan server") {
		t.Fatalf("restore while open: %d %q", code, errOut)
	}
	// On a new machine without the key file, restore refuses and says what to do.
	elsewhere := filepath.Join(t.TempDir(), "new.db")
	if code, _, errOut := runCLI(t, "", "restore", "--db", elsewhere, bk); code != 1 ||
		!strings.Contains(errOut, "salin berkas kunci yang disimpan bersama cadangan Anda ke "+elsewhere+".key") {
		t.Errorf("restore without the key file: %d %q", code, errOut)
	}
	if _, err := os.Stat(elsewhere); err == nil {
		t.Error("a refused restore wrote the database")
	}
	code, out, errOut = runCLI(t, "", "restore", "--db", db, bk)
	if code != 0 || !strings.Contains(out, "disimpan sebagai "+db+".bak-20260601T080000Z") {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, "", "user", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "a@example.go.id") || strings.Contains(out, "later@example.go.id") {
		t.Errorf("after restore: %q", out)
	}
	for path, action := range map[string]string{db: "ops.restore", db + ".bak-20260601T080000Z": "ops.backup"} {
		s, err := survey.Open(context.Background(), path, survey.WithKeyFile(db+".key"))
		if err != nil {
			t.Fatal(err)
		}
		es, _ := s.AuditLog(context.Background(), action, 0)
		s.Close()
		if len(es) != 1 || es[0].Actor != "cli" {
			t.Errorf("%s: audit %s entries %+v", filepath.Base(path), action, es)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, []byte(strings.Repeat("junk", 1000)), 0o600)
	if code, _, errOut := runCLI(t, "", "restore", "--db", db, bad); code != 1 || !strings.Contains(errOut, "not a readable database") {
		t.Errorf("restore of junk: %d %q", code, errOut)
	}
}
