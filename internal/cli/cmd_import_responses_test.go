package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `import responses` takes the hour each form was filled (submitted_at,
// YYYY-MM-DDTHH) so paper answers take part in the coaching check; a bad
// hour is refused naming the file, the line and the field, and nothing is stored.
func TestImportResponsesSubmittedAt(t *testing.T) {
	dir := t.TempDir()
	db := testDB(t, "imp.db")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	units := write("units.csv", "code,name,parent_code,head_email,internal_population,external_population,expert_population\nDINKES,Dinas Kesehatan,,,40,,\n")
	cliOK(t, "period", "create", "--db", db, "--code", "IMP", "--name", "SPI Impor")
	cliOK(t, "import", "units", "--db", db, "--period", "IMP", units)
	cliOK(t, "period", "open", "--db", db, "--period", "IMP")
	header := "unit,type,duration_seconds,submitted_at,T01,SOS01,SOS02\n"
	good := write("paper.csv", header+"DINKES,internal,,2020-01-02T08,4,5,4\nDINKES,internal,,,3,5,4\n")
	if out := cliOK(t, "import", "responses", "--db", db, "--period", "IMP", good); !strings.Contains(out, "2") {
		t.Errorf("import said %q", out)
	}
	bad := write("bad.csv", header+"DINKES,internal,,2020-01-02T08,4,5,4\nDINKES,internal,,2-1-2020 8:00,4,5,4\n")
	code, _, errOut := runCLI(t, "", "import", "responses", "--db", db, "--period", "IMP", bad)
	if code == 0 || !strings.Contains(errOut, "bad.csv:3: submitted_at:") || !strings.Contains(errOut, "YYYY-MM-DDTHH") {
		t.Errorf("bad hour: exit %d, %q", code, errOut)
	}
	res := cliOK(t, "results", "--db", db, "--period", "IMP")
	if !strings.Contains(res, `"method": "spi-method v2"`) {
		t.Errorf("results do not state the method version: %.300s", res)
	}
}
