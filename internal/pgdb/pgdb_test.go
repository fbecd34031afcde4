package pgdb

import (
	"errors"
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"SELECT x FROM t WHERE id = ?1 OR p = ?2 OR q = ?1", "SELECT x FROM t WHERE id = $1 OR p = $2 OR q = $1"},
		{"SELECT '?', \"a?b\" FROM t WHERE c = ?", "SELECT '?', \"a?b\" FROM t WHERE c = $1"},
		{"SELECT 'it''s?' , ? -- why?\n, ?", "SELECT 'it''s?' , $1 -- why?\n, $2"},
		{"SELECT json_extract(s, '$.k') WHERE a = ?", "SELECT json_extract(s, '$.k') WHERE a = $1"},
		{"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
		{"SELECT ? - 1 -- trailing ?", "SELECT $1 - 1 -- trailing ?"},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"/var/lib/integritas/spi.db":                            "/var/lib/integritas/spi.db",
		"postgres://app:s3cret@db:5432/spi?sslmode=verify-full": "postgres://app:xxxxx@db:5432/spi?sslmode=verify-full",
		"postgresql://app@db/spi":                               "postgresql://app@db/spi",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactErr(t *testing.T) {
	db := "postgres://app:s3cret@db/spi"
	err := RedactErr(errors.New(`cannot parse "postgres://app:s3cret@db/spi"`), db)
	if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "xxxxx") {
		t.Errorf("RedactErr: %v", err)
	}
	if plain := errors.New("connection refused"); RedactErr(plain, db) != plain {
		t.Error("an error without the password is not returned as it was")
	}
}
