package cli

import (
	"database/sql"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"integritas/internal/pgtest"
	"integritas/survey"
)

// TestAuditFailureFailsCommand: when the audit log cannot be written (here a
// trigger refuses every insert, as a full disk or a locked file would), the
// command must fail and say so. Before, 18 commands dropped the error and
// reported success with nothing in the log.
func TestAuditFailureFailsCommand(t *testing.T) {
	db := cliDB(t)
	refuse := []string{`CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log BEGIN SELECT RAISE(FAIL, 'audit refused'); END`}
	var raw *sql.DB
	var err error
	if survey.IsPostgres(db) {
		raw = pgtest.OpenRaw(t, db)
		refuse = []string{
			`CREATE FUNCTION audit_refused() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$`,
			`CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refused()`,
		}
	} else if raw, err = sql.Open("sqlite3", db); err != nil {
		t.Fatal(err)
	}
	for _, q := range refuse {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
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
