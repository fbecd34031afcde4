package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestDemoLinkOnlyOnTerminal builds the demo city: its sample invitation
// link is printed once on the terminal (stdout), and is neither in the log
// (stderr, JSON lines) nor anywhere in the database file or its WAL.
func TestDemoLinkOnlyOnTerminal(t *testing.T) {
	db := testDB(t, "demo.db")
	code, out, errOut := runCLI(t, "", "demo", "--db", db, "--no-serve")
	if code != 0 {
		t.Fatalf("demo: %d\n%s", code, errOut)
	}
	m := regexp.MustCompile(`/s/([A-Za-z0-9_-]{43})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no invitation link on the terminal:\n%s", out)
	}
	if regexp.MustCompile(`/s/[A-Za-z0-9_-]{43}`).MatchString(errOut) {
		t.Errorf("the log holds a live link:\n%s", errOut)
	}
	for _, f := range []string{db, db + "-wal"} {
		b, _ := os.ReadFile(f)
		if regexp.MustCompile(regexp.QuoteMeta(m[1])).Match(b) {
			t.Errorf("%s holds the demo's live link", filepath.Base(f))
		}
	}
}
