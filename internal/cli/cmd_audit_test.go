package cli

import (
	"database/sql"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// TestAuditFailureFailsCommand: when the audit log cannot be written (here a
// trigger refuses every insert, as a full disk or a locked file would), the
// command must fail and say so. Before, 18 commands dropped the error and
// reported success with nothing in the log.
func TestAuditFailureFailsCommand(t *testing.T) {
	db := cliDB(t)
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log BEGIN SELECT RAISE(FAIL, 'audit refused'); END`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	for _, args := range [][]string{
		{"period", "create", "--db", db, "--code", "Q"},
		{"period", "open", "--db", db, "--period", "P"},
	} {
		code, _, stderr := runCLI(t, "", args...)
		if code == 0 || !strings.Contains(stderr, "audit") {
			t.Errorf("%v: exit %d, stderr %q; want a failure naming the audit log", args, code, stderr)
		}
	}
}
