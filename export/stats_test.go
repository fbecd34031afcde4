package export

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"integritas/internal/testdeps"
	"integritas/survey"
)

// statsPackage writes the answers ZIP of the demo period into a folder, as
// an analyst unpacks it, and returns the folder, the store's period and the
// export's summary.
func statsPackage(t *testing.T) (string, *survey.Store, *survey.Period, AnswersSummary) {
	t.Helper()
	st, p := demoStore(t)
	var buf bytes.Buffer
	opt := AnswersOptions{Text: Text{Sheet: "Jawaban", NotesSheet: "Catatan"}, MinGroup: 5, MinGroupText: 10,
		Notes: func(AnswersSummary) []string { return []string{"catatan"} }, Words: testWords, Lang: "id"}
	sum, err := Answers(context.Background(), answersOf(t, st, p), ZIP, &buf, opt)
	if err != nil {
		t.Fatal(err)
	}
	_, _, files := readBack(t, ZIP, buf.Bytes(), "")
	for _, name := range []string{"answers.csv", "codebook.csv", "answers.sps", "answers.R", "README.txt"} {
		if _, ok := files[name]; !ok {
			t.Fatalf("the ZIP lacks %s (has %d files)", name, len(files))
		}
	}
	dir := t.TempDir()
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, st, p, sum
}

// storeCounts counts, straight from the store, the rows per unit × type and
// each coded answer's label per item over the groups the export keeps:
// "item\tlabel" → count, "unit\ttype" → rows.
func storeCounts(t *testing.T, st *survey.Store, p *survey.Period, sum AnswersSummary) map[string]int {
	t.Helper()
	left := map[[2]string]bool{}
	for _, g := range sum.LeftOut {
		left[[2]string{g.Unit, g.Type}] = true
	}
	units, err := st.Units(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	code := map[int64]string{}
	for _, u := range units {
		code[u.ID] = u.Code
	}
	out := map[string]int{}
	err = st.EachResponse(context.Background(), p.ID, func(r *survey.StoredResponse) error {
		if left[[2]string{code[r.UnitID], r.Type}] {
			return nil
		}
		out[code[r.UnitID]+"\t"+r.Type]++
		for i, it := range p.Instrument.Items {
			if i >= len(r.Answers) {
				break
			}
			b := r.Answers[i]
			switch {
			case b == survey.AnswerNone || b == survey.AnswerDontKnow:
			case it.Scale.Kind == survey.KindOrdinal:
				out[it.Code+"\t"+it.Scale.Labels.ID[b-1]]++
			case it.Scale.Kind == survey.KindExperience && b == survey.AnswerYes:
				out[it.Code+"\t"+testWords.Yes.ID]++
			case it.Scale.Kind == survey.KindExperience && b == survey.AnswerNo:
				out[it.Code+"\t"+testWords.No.ID]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rDriver loads the export with the project's R script and prints every
// labelled count and the rows per unit × type, one "key\tcount" a line.
const rDriver = `source("answers.R")
for (v in names(answers)) {
  x <- answers[[v]]
  if (is.factor(x)) { tab <- table(x); for (l in names(tab)) if (tab[[l]] > 0) cat(v, "\t", l, "\t", tab[[l]], "\n", sep = "") }
}
tab <- table(paste(answers$unit, answers$type, sep = "\t"))
for (g in names(tab)) cat(g, "\t", tab[[g]], "\n", sep = "")
`

func TestAnswersZIPLoadsInR(t *testing.T) {
	if _, err := exec.LookPath("Rscript"); err != nil {
		testdeps.Missing(t, "Rscript", "apt-get install r-base-core")
	}
	dir, st, p, sum := statsPackage(t)
	if err := os.WriteFile(filepath.Join(dir, "driver.R"), []byte(rDriver), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Rscript", "--vanilla", "driver.R")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LANG=C", "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("Rscript: %v\n%s", err, out)
	}
	got := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		i := strings.LastIndexByte(l, '\t')
		n, err := strconv.Atoi(l[i+1:])
		if i < 0 || err != nil {
			t.Fatalf("R printed %q", l)
		}
		got[l[:i]] = n
	}
	want := storeCounts(t, st, p, sum)
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: R counts %d, the store %d", k, got[k], n)
		}
	}
	items := 0
	for k := range got {
		item, _, _ := strings.Cut(k, "\t")
		if _, _, ok := p.Instrument.Item(item); ok {
			items++
		}
		if _, ok := want[k]; !ok && !strings.HasPrefix(k, p.Instrument.Strata.Code+"\t") {
			t.Errorf("R counts %q, which the store has not", k)
		}
	}
	if items < 100 || len(want) < 100 {
		t.Errorf("only %d labelled counts compared", items)
	}
}

// TestRStringQuoting: a label with quotes, backslashes and non-ASCII is one
// valid R literal that R reads back unchanged.
func TestRStringQuoting(t *testing.T) {
	hostile := `Kepala "Dinas" \ O'Brien, Rp1.000 — é ✓ 𝔸` + "\nbaris"
	lit := rString(hostile)
	if strings.ContainsAny(lit, "\n—é") {
		t.Fatalf("literal %s holds raw non-ASCII or a line break", lit)
	}
	if _, err := exec.LookPath("Rscript"); err != nil {
		testdeps.Missing(t, "Rscript", "apt-get install r-base-core")
	}
	out, err := exec.Command("Rscript", "--vanilla", "-e", fmt.Sprintf(`cat(enc2utf8(%s))`, lit)).Output()
	if err != nil || string(out) != hostile {
		t.Errorf("R read %q (%v), want %q", out, err, hostile)
	}
}
