package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"integritas/survey"
)

// runInviteCLI runs one command against the database at db and returns its exit
// code, standard output and standard error.
func runInviteCLI(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	cl := &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, now: time.Now,
		getenv: func(k string) string {
			if k == "INTEGRITAS_DB" {
				return db
			}
			return envFor(db)(k)
		}}
	return cl.run(args), out.String(), errb.String()
}

func TestInviteCommands(t *testing.T) {
	dir := t.TempDir()
	db := testDB(t, "i.db")
	units := filepath.Join(dir, "units.csv")
	os.WriteFile(units, []byte("code,name,parent_code,head_email,internal_population,external_population,expert_population\nDINKES,Dinas Kesehatan,,,10,100,5\n"), 0o600)
	for _, args := range [][]string{
		{"period", "create", "--code", "P"},
		{"import", "units", "--period", "P", units},
		{"period", "open", "--period", "P"},
	} {
		if code, _, errs := runInviteCLI(t, db, args...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	refusals := []struct {
		name string
		args []string
		want string
	}{
		{"external needs the open link", []string{"invite", "--period", "P", "--unit", "DINKES", "--type", "external", "--count", "1"}, "/r/P/DINKES"},
		{"count bounded", []string{"invite", "--period", "P", "--unit", "DINKES", "--type", "internal", "--count", "0"}, "--count"},
		{"unknown unit", []string{"invite", "--period", "P", "--unit", "NOPE", "--type", "internal", "--count", "1"}, "NOPE"},
		{"no roster", []string{"invite", "--period", "P", "--unit", "DINKES", "--type", "expert", "--from-roster"}, "roster"},
		{"period required", []string{"invitations", "export"}, "--period"},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			code, _, errs := runInviteCLI(t, db, r.args...)
			if code == 0 || !strings.Contains(errs, r.want) {
				t.Errorf("exit %d, stderr %q; want failure naming %q", code, errs, r.want)
			}
		})
	}

	code, out, errs := runInviteCLI(t, db, "invite", "--period", "P", "--unit", "DINKES", "--type", "internal", "--count", "3", "--base-url", "https://spi.example.go.id/")
	if code != 0 {
		t.Fatal(errs)
	}
	links := strings.Fields(out)
	if len(links) != 3 || !strings.HasPrefix(links[0], "https://spi.example.go.id/s/") || len(strings.TrimPrefix(links[0], "https://spi.example.go.id/s/")) != 43 {
		t.Fatalf("links %q", links)
	}

	// Use one link, then export: the used one is skipped, the others get
	// fresh links and the printed ones stop working.
	ctx := context.Background()
	st, err := openDB(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := st.Period(ctx, "P")
	u, _ := st.Unit(ctx, p.ID, "DINKES")
	a, _ := p.Instrument.ParseAnswers("internal", map[string]string{"T01": "4", "SOS01": "3", "SOS02": "5"})
	hash, _ := survey.TokenHash(strings.TrimPrefix(links[0], "https://spi.example.go.id/s/"))
	c, _ := st.NewCommitter(ctx)
	if err := c.Submit(ctx, &survey.Submission{TokenHash: hash, Response: survey.NewResponse{PeriodID: p.ID, UnitID: u.ID, Type: "internal", Channel: "invitation", Duration: -1, Answers: a}}); err != nil {
		t.Fatal(err)
	}
	c.Close()
	st.Close()

	csvPath := filepath.Join(dir, "links.csv")
	code, _, errs = runInviteCLI(t, db, "invitations", "export", "--period", "P", "--out", csvPath, "--base-url", "https://spi.example.go.id")
	if code != 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(errs, "2 tautan baru") || !strings.Contains(errs, "tidak berlaku lagi") || !strings.Contains(errs, "1 undangan terpakai") {
		t.Errorf("export did not say what it did: %q", errs)
	}
	f, _ := os.Open(csvPath)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "unit,type,contact,link" || len(rows) != 3 {
		t.Fatalf("export %q: want the header unit,type,contact,link (nothing about responses) and 2 rows", rows)
	}
	if info, _ := os.Stat(csvPath); info.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v, want 0600", info.Mode().Perm())
	}
	st, _ = openDB(ctx, db)
	defer st.Close()
	for i, l := range links {
		_, err := st.InvitationByToken(ctx, strings.TrimPrefix(l, "https://spi.example.go.id/s/"))
		if i == 0 && err != nil {
			t.Errorf("the used link was rotated: %v", err)
		}
		if i > 0 && err == nil {
			t.Errorf("old link %d still works after export", i)
		}
	}
	for _, r := range rows[1:] {
		inv, err := st.InvitationByToken(ctx, strings.TrimPrefix(r[3], "https://spi.example.go.id/s/"))
		if err != nil || inv.Used || r[0] != "DINKES" || r[1] != "internal" {
			t.Errorf("exported row %q: %+v, %v", r, inv, err)
		}
	}
	if code, _, errs := runInviteCLI(t, db, "invitations", "export", "--period", "P", "--out", csvPath); code == 0 {
		t.Errorf("export overwrote an existing file: %s", errs)
	}
	if code, _, help := runInviteCLI(t, db, "invitations", "export", "-h"); code != 0 || !strings.Contains(help, "tidak berlaku lagi") {
		t.Errorf("export help (exit %d) does not warn that old links stop working: %q", code, help)
	}
}

func TestCSVSafe(t *testing.T) {
	cases := map[string]string{"": "", "budi@example.go.id": "budi@example.go.id", "+62 812-3456-7890": "+62 812-3456-7890",
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "@SUM(A1)": "'@SUM(A1)", "-2+3": "'-2+3", "+cmd|x": "'+cmd|x"}
	for in, want := range cases {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
