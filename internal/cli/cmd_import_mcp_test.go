package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCmdImportMCP: good files are stored; a file with bad rows prints
// every problem as file:line: column: message, exits 1 and stores nothing.
func TestCmdImportMCP(t *testing.T) {
	dir := t.TempDir()
	db := testDB(t, "t.db")
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		cl := &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: envFor(db), now: func() time.Time { return now }}
		code := cl.run(append(args, "--db", db))
		return code, out.String(), errb.String()
	}
	if code, _, e := run("period", "create", "--code", "P", "--name", "P", "--opens", "2026-07-01", "--closes", "2026-09-30"); code != 0 {
		t.Fatal(e)
	}
	units := write("units.csv", "code,name,parent_code,head_email,internal_population,external_population,expert_population\nDPUPR,Dinas PU,,,10,,\n")
	if code, _, e := run("import", "units", "--period", "P", units); code != 0 {
		t.Fatal(e)
	}
	if code, out, e := run("import", "mcp", write("mcp.csv", "year;area;unit;score\n2026;pengadaan;;92\n2026;pengadaan;DPUPR;94,5\n")); code != 0 || !strings.Contains(out, "2 nilai MCP diimpor") {
		t.Fatalf("good MCP: %d %s %s", code, out, e)
	}
	if code, out, e := run("import", "pmprb", write("pmprb.csv", "year,unit,score\n2026,DPUPR,77.1\n")); code != 0 || !strings.Contains(out, "1 nilai PMPRB diimpor") {
		t.Fatalf("good PMPRB: %d %s %s", code, out, e)
	}
	code, _, e := run("import", "mcp", write("bad.csv", "year,area,unit,score\n2025,pengadaan,,80\n2025,pengadaan,NOPE,80\n2025,apip,,x\n"))
	if code != 1 {
		t.Fatalf("bad file exit %d", code)
	}
	for _, want := range []string{"tidak ada yang diimpor", `bad.csv:3: unit: unit "NOPE" belum ada`, `bad.csv:4: score: "x" bukan nilai`} {
		if !strings.Contains(e, want) {
			t.Errorf("stderr lacks %q:\n%s", want, e)
		}
	}
	st, err := openDB(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, _ := st.MCPScores(context.Background())
	if len(got) != 2 || got[0].Year != 2026 || got[1].Score != 94.5 {
		t.Errorf("stored after a refused import: %+v", got)
	}
}
