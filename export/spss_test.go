package export

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"integritas/internal/testdeps"
)

// spssQuoted reads the SPSS string literals of a line: single-quoted, an
// inner quote doubled. ok is false when a quote is left open.
func spssQuoted(line string) (lits []string, ok bool) {
	for {
		i := strings.IndexByte(line, '\'')
		if i < 0 {
			return lits, true
		}
		line = line[i+1:]
		var b strings.Builder
		for {
			j := strings.IndexByte(line, '\'')
			if j < 0 {
				return lits, false
			}
			b.WriteString(line[:j])
			if strings.HasPrefix(line[j:], "''") {
				b.WriteByte('\'')
				line = line[j+2:]
				continue
			}
			line = line[j+1:]
			break
		}
		lits = append(lits, b.String())
	}
}

// TestSPSSSyntaxStructure parses answers.sps: every column of answers.csv is
// declared in order with a format, every variable has a label, every coded
// variable its value labels, every item with "tidak tahu" is in MISSING
// VALUES, and every quote is closed.
func TestSPSSSyntaxStructure(t *testing.T) {
	dir, _, p, _ := statsPackage(t)
	b, err := os.ReadFile(filepath.Join(dir, "answers.sps"))
	if err != nil {
		t.Fatal(err)
	}
	section := ""
	var declared, labelled, valued, missing []string
	decl := regexp.MustCompile(`^    ([A-Za-z][A-Za-z0-9_]*) (A[0-9]+|F[0-9]+\.0)$`)
	head := regexp.MustCompile(`^  /?([A-Za-z][A-Za-z0-9_]*)\b`)
	for n, line := range strings.Split(string(b), "\n") {
		if _, ok := spssQuoted(line); !ok {
			t.Errorf("line %d: open quote: %s", n+1, line)
		}
		switch strings.TrimSpace(line) {
		case "/VARIABLES=", "VARIABLE LABELS", "VALUE LABELS", "MISSING VALUES":
			section = strings.TrimSpace(line)
			continue
		case ".":
			section = ""
			continue
		}
		switch section {
		case "/VARIABLES=":
			m := decl.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("line %d: bad declaration %q", n+1, line)
			}
			declared = append(declared, m[1])
		case "VARIABLE LABELS", "VALUE LABELS":
			if m := head.FindStringSubmatch(line); m != nil {
				if section == "VARIABLE LABELS" {
					labelled = append(labelled, m[1])
				} else {
					valued = append(valued, m[1])
				}
			}
		case "MISSING VALUES":
			f := strings.Fields(strings.TrimSuffix(line, "(99)."))
			missing = append(missing, f...)
			if strings.HasSuffix(line, "(99).") {
				section = ""
			}
		}
	}
	header := AnswersHeader(p.Instrument)
	if !slices.Equal(declared, header) {
		t.Errorf("declared %v\nwant %v", declared, header)
	}
	if !slices.Equal(labelled, header) {
		t.Errorf("labelled %v\nwant %v", labelled, header)
	}
	var coded, dk []string
	for _, v := range variables(p.Instrument, testWords, true) {
		if v.coded() {
			coded = append(coded, v.name)
		}
		if v.item != nil && v.item.DontKnow {
			dk = append(dk, v.name)
		}
	}
	if !slices.Equal(valued, coded) || len(coded) < 40 {
		t.Errorf("value labels for %v\nwant %v", valued, coded)
	}
	if !slices.Equal(missing, dk) || len(dk) == 0 {
		t.Errorf("missing values for %v\nwant %v", missing, dk)
	}
}

// TestSPSSStringQuoting: quotes are doubled, long labels are cut to SPSS's
// limit on a rune boundary and continued with "+", and the pieces join back.
func TestSPSSStringQuoting(t *testing.T) {
	hostile := "Kepala 'Dinas' O'Brien — " + strings.Repeat("é", 200) + "\nakhir"
	lit := spssString(hostile, "  ")
	var joined strings.Builder
	for _, line := range strings.Split(lit, "\n") {
		lits, ok := spssQuoted(line)
		if !ok || len(lits) != 1 {
			t.Fatalf("line %q: %d literals, closed %v", line, len(lits), ok)
		}
		joined.WriteString(lits[0])
	}
	got := joined.String()
	want := strings.ReplaceAll(hostile, "\n", " ")
	if len(got) > spssLabelMax || !strings.HasPrefix(want, got) || !strings.HasPrefix(got, "Kepala 'Dinas' O'Brien") {
		t.Errorf("joined %q (%d bytes)", got, len(got))
	}
}

// TestSPSSSyntaxRunsInPSPP runs the syntax in GNU PSPP, which must read the
// CSV without an error and count a labelled item as the store does.
func TestSPSSSyntaxRunsInPSPP(t *testing.T) {
	if _, err := exec.LookPath("pspp"); err != nil {
		testdeps.Missing(t, "pspp", "apt-get install pspp")
	}
	dir, st, p, sum := statsPackage(t)
	b, err := os.ReadFile(filepath.Join(dir, "answers.sps"))
	if err != nil {
		t.Fatal(err)
	}
	driver := string(b) + "DISPLAY DICTIONARY.\nFREQUENCIES /VARIABLES=T01.\n"
	if err := os.WriteFile(filepath.Join(dir, "driver.sps"), []byte(driver), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pspp", "-O", "format=csv", "driver.sps")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(strings.ToLower(string(out)), "error") || strings.Contains(string(out), "warning") {
		t.Fatalf("pspp: %v\n%s", err, out)
	}
	for _, h := range AnswersHeader(p.Instrument) {
		if !strings.Contains(string(out), "\n"+h+",") {
			t.Errorf("PSPP's dictionary lacks %s", h)
		}
	}
	want := storeCounts(t, st, p, sum)
	it, _, _ := p.Instrument.Item("T01")
	for _, l := range it.Scale.Labels.ID {
		n := want["T01\t"+l]
		if n > 0 && !regexp.MustCompile(`,`+regexp.QuoteMeta(l)+`,`+strconv.Itoa(n)+`,`).Match(out) {
			t.Errorf("PSPP does not count %d × %q for T01:\n%s", n, l, out)
		}
	}
}
