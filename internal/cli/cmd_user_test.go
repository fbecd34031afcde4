package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"integritas/survey"
)

// runCLI runs one command as the binary would, with stdin and a fixed clock.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return runCLIAt(t, cliNow, stdin, args...)
}

// cliNow is runCLI's clock.
var cliNow = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)

// runCLIAt is runCLI on the clock now.
func runCLIAt(t *testing.T, now time.Time, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	cl := &cli{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
		getenv: envFor(argDB(args)),
		now:    func() time.Time { return now }}
	code := cl.run(args)
	return code, out.String(), errOut.String()
}

// cliDB makes a database with period P and units A and B, through the CLI.
func cliDB(t *testing.T) string { return cliDBAt(t, testDB(t, "i.db")) }

// cliDBAt is cliDB on the database db.
func cliDBAt(t *testing.T, db string) string {
	t.Helper()
	dir := t.TempDir()
	units := filepath.Join(dir, "units.csv")
	os.WriteFile(units, []byte("code,name,parent_code,head_email,internal_population,external_population,expert_population\nA,Unit A,,,1,,\nB,Unit B,,,1,,\n"), 0o600)
	if code, _, e := runCLI(t, "", "period", "create", "--db", db, "--code", "P"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := runCLI(t, "", "import", "units", "--db", db, "--period", "P", units); code != 0 {
		t.Fatal(e)
	}
	return db
}

func TestUserCommands(t *testing.T) {
	db := cliDB(t)
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte("kata-sandi-berkas-1\nsecond line ignored\n"), 0o600)
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"admin from a password file", "", []string{"user", "add", "--db", db, "--email", "Admin@Example.go.id", "--role", "admin", "--password-file", pwFile}, 0, "akun admin@example.go.id dibuat (role=admin)", ""},
		{"viewer from stdin", "kata-sandi-stdin-1\n", []string{"user", "add", "--db", db, "--email", "v@example.go.id", "--role", "viewer", "--unit", "A", "--unit", "B", "--name", "Vi"}, 0, "role=viewer units=A,B", ""},
		{"units with commas", "kata-sandi-stdin-2\n", []string{"user", "add", "--db", db, "--email", "w@example.go.id", "--role", "viewer", "--unit", "A,B"}, 0, "units=A,B", ""},
		{"duplicate", "kata-sandi-stdin-1\n", []string{"user", "add", "--db", db, "--email", "v@example.go.id", "--role", "viewer"}, 1, "", "sudah ada"},
		{"short password", "pendek\n", []string{"user", "add", "--db", db, "--email", "s@example.go.id", "--role", "analyst"}, 1, "", "paling sedikit 10 karakter"},
		{"no password at all", "", []string{"user", "add", "--db", db, "--email", "s@example.go.id", "--role", "analyst"}, 1, "", "kata sandi tidak diberikan"},
		{"bad role", "kata-sandi-stdin-1\n", []string{"user", "add", "--db", db, "--email", "s@example.go.id", "--role", "boss"}, 1, "", "--role"},
		{"unknown unit", "kata-sandi-stdin-1\n", []string{"user", "add", "--db", db, "--email", "s@example.go.id", "--role", "viewer", "--unit", "Z"}, 1, "", `tidak ada unit "Z"`},
		{"missing e-mail", "", []string{"user", "add", "--db", db, "--role", "viewer"}, 1, "", "--email wajib diisi"},
		{"list", "", []string{"user", "list", "--db", db}, 0, "v@example.go.id      Vi    viewer  A,B   aktif", ""},
		{"disable", "", []string{"user", "disable", "--db", db, "--email", "v@example.go.id"}, 0, "dinonaktifkan", ""},
		{"list shows it", "", []string{"user", "list", "--db", db}, 0, "nonaktif", ""},
		{"enable", "", []string{"user", "enable", "--db", db, "--email", "v@example.go.id"}, 0, "diaktifkan", ""},
		{"disable unknown", "", []string{"user", "disable", "--db", db, "--email", "x@example.go.id"}, 1, "", "tidak ditemukan"},
		{"reset password", "kata-sandi-baru-99\n", []string{"user", "reset-password", "--db", db, "--email", "v@example.go.id"}, 0, "diganti", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.stdin, tc.args...)
			if code != tc.wantCode || !strings.Contains(out, tc.wantOut) || !strings.Contains(errOut, tc.wantErr) {
				t.Fatalf("code %d out %q err %q; want %d %q %q", code, out, errOut, tc.wantCode, tc.wantOut, tc.wantErr)
			}
			if strings.Contains(out+errOut, "kata-sandi") {
				t.Error("a password was printed")
			}
		})
	}
	st, err := openDB(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	for email, pw := range map[string]string{"admin@example.go.id": "kata-sandi-berkas-1", "v@example.go.id": "kata-sandi-baru-99"} {
		if _, _, err := st.Authenticate(context.Background(), email, pw, now); err != nil {
			t.Errorf("%s cannot log in with the password given: %v", email, err)
		}
	}
	es, _ := st.AuditLog(context.Background(), "user.", 0)
	var got []string
	for _, e := range es {
		got = append(got, e.Actor+" "+e.Action+" "+e.Target)
	}
	want := "cli user.password_reset user:v@example.go.id,cli user.enable user:v@example.go.id,cli user.disable user:v@example.go.id," +
		"cli user.create user:w@example.go.id,cli user.create user:v@example.go.id,cli user.create user:admin@example.go.id"
	if strings.Join(got, ",") != want {
		t.Errorf("audit %v", got)
	}
}

func TestTokenCommands(t *testing.T) {
	db := cliDB(t)
	runCLI(t, "kata-sandi-stdin-1\n", "user", "add", "--db", db, "--email", "a@example.go.id", "--role", "analyst")
	code, out, errOut := runCLI(t, "", "token", "create", "--db", db, "--email", "a@example.go.id", "--name", "laporan")
	tok := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(tok, survey.TokenPrefix) || strings.Count(out, "\n") != 1 || !strings.Contains(errOut, "hanya ditampilkan sekali") {
		t.Fatalf("token create: %d %q %q", code, out, errOut)
	}
	st, err := openDB(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := st.TokenUser(context.Background(), tok, time.Date(2026, 6, 2, 8, 0, 0, 0, time.UTC)); err != nil || u.Email != "a@example.go.id" { // runCLI's clock: tokens expire
		t.Errorf("the printed token does not work: %v", err)
	}
	st.Close()
	if code, out, _ := runCLI(t, "", "token", "list", "--db", db); code != 0 || !strings.Contains(out, "laporan") || strings.Contains(out, tok) {
		t.Errorf("token list: %q", out)
	}
	if code, _, _ := runCLI(t, "", "token", "revoke", "--db", db, "--id", "1"); code != 0 {
		t.Error("revoke failed")
	}
	if code, _, errOut := runCLI(t, "", "token", "create", "--db", db, "--email", "nobody@example.go.id"); code != 1 || !strings.Contains(errOut, "tidak ada akun") {
		t.Errorf("token for nobody: %d %q", code, errOut)
	}
}
