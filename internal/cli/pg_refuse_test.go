package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// A postgres:// store has no file to copy or replace: backup and restore
// refuse it and name PostgreSQL's own tools, migrate-store refuses it as a
// source, and no command ever prints the URL's password. None of this
// needs a cluster: the URL points at a closed port.
func TestPostgresURLRefusedAndRedacted(t *testing.T) {
	const secret = "s3cret-Sandi"
	url := "postgres://integritas:" + secret + "@127.0.0.1:1/integritas?sslmode=disable"
	key := filepath.Join(t.TempDir(), "k.key")
	out := filepath.Join(t.TempDir(), "out")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"backup", []string{"backup", "--db", url, "--key-file", key, out}, []string{"pg_dump"}},
		{"restore", []string{"restore", "--db", url, "--key-file", key, out}, []string{"pg_restore"}},
		{"migrate from pg", []string{"migrate-store", "--from", url, "--to", url, "--key-file", key}, []string{"--from", "SQLite"}},
		{"period list", []string{"period", "list", "--db", url, "--key-file", key}, nil},
		{"results", []string{"results", "--db", url, "--key-file", key, "--period", "P"}, nil},
		{"user list", []string{"user", "list", "--db", url, "--key-file", key}, nil},
		{"unknown command", []string{"bogus", "--db", url}, []string{"xxxxx"}},
		{"unknown command, --db=", []string{"bogus", "--db=" + url}, []string{"xxxxx"}},
	}
	for _, tc := range tests {
		for _, lang := range []string{"id", "en"} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				args := append([]string{}, tc.args...)
				i := 1
				for !strings.HasPrefix(args[i], "--db") && args[i] != "--from" {
					i++ // after the command's words
				}
				args = append(args[:i], append([]string{"--lang", lang}, args[i:]...)...)
				code, stdout, stderr := runCLI(t, "", args...)
				if code == 0 {
					t.Fatalf("exit 0 on an unreachable database: %q", stdout)
				}
				if strings.Contains(stdout+stderr, secret) {
					t.Errorf("the password is printed: %q %q", stdout, stderr)
				}
				for _, w := range tc.want {
					if !strings.Contains(stderr, w) {
						t.Errorf("stderr lacks %q: %q", w, stderr)
					}
				}
			})
		}
	}
}
