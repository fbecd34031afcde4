package cli

import (
	"strings"
	"testing"
	"time"
)

// TestTokenExpiryCommands: `token create` says when the token expires and
// takes --days within 1 to 366; `token list` shows the expiry.
func TestTokenExpiryCommands(t *testing.T) {
	db := cliDB(t)
	runCLI(t, "kata-sandi-stdin-1\n", "user", "add", "--db", db, "--email", "a@example.go.id", "--role", "admin")
	code, _, errOut := runCLI(t, "", "token", "create", "--db", db, "--email", "a@example.go.id", "--name", "scrape", "--days", "30")
	want := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC).Format("2006-01-02") // runCLI's clock, 2026-06-01 08:00, plus 30 days
	if code != 0 || !strings.Contains(errOut, "expires "+want) {
		t.Fatalf("token create --days 30: %d %q", code, errOut)
	}
	if code, out, _ := runCLI(t, "", "token", "list", "--db", db); code != 0 || !strings.Contains(out, "EXPIRES") || !strings.Contains(out, want) {
		t.Errorf("token list: %q", out)
	}
	for _, days := range []string{"0", "400"} {
		if code, _, errOut := runCLI(t, "", "token", "create", "--db", db, "--email", "a@example.go.id", "--days", days); code != 1 || !strings.Contains(errOut, "--days: from 1 to 366") {
			t.Errorf("--days %s: %d %q", days, code, errOut)
		}
	}
}
