package analysis

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"integritas/internal/testdeps"
)

// rscript finds Rscript with the survey and psych packages, waiting a little
// while they are being installed; it skips the test when they are missing.
func rscript(t *testing.T) string {
	t.Helper()
	for try := 0; ; try++ {
		path, err := exec.LookPath("Rscript")
		if err == nil {
			cmd := exec.Command(path, "-e", "library(survey); library(psych)")
			if cmd.Run() == nil {
				return path
			}
		}
		if try == 2 {
			testdeps.Missing(t, "Rscript with the survey and psych packages", "apt-get install r-base-core r-cran-survey r-cran-psych")
		}
		time.Sleep(5 * time.Second)
	}
}

func writeCSV(t *testing.T, path string, rows [][]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeCrossCheck writes the instrument, the responses of two periods and the strata.
func writeCrossCheck(t *testing.T, dir string, in1, in2 Input) {
	rows := [][]string{{"code", "element", "kind", "points", "reverse", "internal", "external", "expert"}}
	for _, it := range in1.Items {
		kind := map[ItemKind]string{Ordinal: "ordinal", Experience: "experience", Text: "text"}[it.Kind]
		row := []string{it.Code, it.Element, kind, strconv.Itoa(it.Points), strings.ToUpper(strconv.FormatBool(it.Reverse))}
		for _, typ := range Types() {
			row = append(row, strings.ToUpper(strconv.FormatBool(genSees(it, typ))))
		}
		rows = append(rows, row)
	}
	writeCSV(t, filepath.Join(dir, "items.csv"), rows)
	rows = [][]string{{"code", "weight"}}
	for _, e := range in1.Elements {
		rows = append(rows, []string{e.Code, fmt.Sprint(e.Weight)})
	}
	writeCSV(t, filepath.Join(dir, "elements.csv"), rows)
	rows = [][]string{{"unit", "stratum", "count"}}
	for _, u := range in1.Units {
		for _, s := range sortedKeys(in1.Strata[u.Code]) {
			rows = append(rows, []string{u.Code, s, strconv.Itoa(in1.Strata[u.Code][s])})
		}
	}
	writeCSV(t, filepath.Join(dir, "strata.csv"), rows)
	for p, in := range []Input{in1, in2} {
		cityN := map[string]int{}
		pop := map[string]map[string]int{}
		for _, u := range in.Units {
			pop[u.Code] = u.Population
			for typ, n := range u.Population {
				cityN[typ] += n
			}
		}
		head := []string{"id", "unit", "type", "stratum", "N", "cityN"}
		for _, it := range in.Items {
			head = append(head, it.Code)
		}
		rows = [][]string{head}
		for _, r := range in.Responses {
			row := []string{strconv.FormatInt(r.ID, 10), r.Unit, r.Type, r.Stratum,
				strconv.Itoa(pop[r.Unit][r.Type]), strconv.Itoa(cityN[r.Type])}
			for _, a := range r.Answers {
				if a == NoAnswer || a == DontKnow {
					row = append(row, "NA")
				} else {
					row = append(row, strconv.Itoa(int(a)))
				}
			}
			rows = append(rows, row)
		}
		writeCSV(t, filepath.Join(dir, fmt.Sprintf("responses%d.csv", p+1)), rows)
	}
	if err := os.WriteFile(filepath.Join(dir, "k.txt"), []byte(strconv.Itoa(in1.Settings.MinGroup)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "min_cell.txt"), []byte(strconv.Itoa(in1.Settings.MinCell)), 0o644); err != nil {
		t.Fatal(err)
	}
}

type rRow struct {
	what, unit, typ, key       string
	n, mean, se, lo, hi, p, df float64
}

func readR(t *testing.T, path string) []rRow {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0
		}
		return v
	}
	var out []rRow
	for _, r := range recs[1:] {
		out = append(out, rRow{r[0], r[1], r[2], r[3], num(r[4]), num(r[5]), num(r[6]), num(r[7]), num(r[8]), num(r[9]), num(r[10])})
	}
	return out
}

// thinBands gives every unit a thin third band ("honorer", carved out of
// pppk's roster count) holding about 6 % of the internal respondents, and
// leaves about 3 % without a band, so the collapsed post-strata and the
// no-band cell are exercised.
func thinBands(in *Input) {
	for code, st := range in.Strata {
		h := max(1, st["pppk"]/8)
		in.Strata[code] = map[string]int{"pns": st["pns"], "pppk": st["pppk"] - h, "honorer": h}
	}
	for i := range in.Responses {
		r := &in.Responses[i]
		if r.Type != Internal {
			continue
		}
		switch r.ID % 33 {
		case 0, 1:
			r.Stratum = "honorer"
		case 2:
			r.Stratum = ""
		}
	}
}

// TestCrossCheckR computes the figures independently in R from the raw
// answers — survey::svymean with fpc and t intervals, postStratify on the
// collapsed cells, the city as svydesign(ids=~1, strata=~unit, fpc=~N) over
// the published cells, psych::alpha, prop.test (Wilson), t.test and
// fisher.test against the rest of the city with p.adjust(p, "BH"), the unit
// index and the category of its published value, and the trends — and
// compares them with Compute at 1e-6, printing the largest difference.
func TestCrossCheckR(t *testing.T) {
	if testing.Short() {
		t.Skip("R cross-check skipped in -short mode")
	}
	rs := rscript(t)
	in1 := genInput(11, 4, 700, 16)
	in2 := genInput(12, 4, 650, 16)
	thinBands(&in1)
	thinBands(&in2)
	in2.Units, in2.Strata = in1.Units, in1.Strata // one frame, as crosscheck.R reads one strata table
	// a fifth unit of 3 respondents: hidden, so the city must leave it out
	for _, in := range []*Input{&in1, &in2} {
		in.Corrections = nil
	}
	in1.Units = append(in1.Units, Unit{Code: "u999", Name: "small", Population: map[string]int{Internal: 10, External: 10}})
	in2.Units = in1.Units
	for _, in := range []*Input{&in1, &in2} {
		for j := range 3 {
			r := in.Responses[j]
			r.ID, r.Unit = int64(900000+j), "u999"
			in.Responses = append(in.Responses, r)
		}
	}
	dir := t.TempDir()
	writeCrossCheck(t, dir, in1, in2)
	cmd := exec.Command(rs, filepath.Join("testdata", "crosscheck.R"), dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("Rscript: %v\n%s", err, out)
	}
	res1, err := Compute(in1)
	if err != nil {
		t.Fatal(err)
	}
	res2, err := Compute(in2)
	if err != nil {
		t.Fatal(err)
	}
	ps1, ps2 := in1, in2
	ps1.Settings.Weighting, ps2.Settings.Weighting = WeightingPoststrat, WeightingPoststrat
	resPS1, err := Compute(ps1)
	if err != nil {
		t.Fatal(err)
	}
	resPS2, err := Compute(ps2)
	if err != nil {
		t.Fatal(err)
	}
	changes := map[string]UnitChange{}
	for _, c := range Compare(res1, res2) {
		changes[c.Unit] = c
	}
	comps := func(res *Results, unit string) map[string]*Component {
		if unit == "CITY" {
			return res.City.Pooled.Components
		}
		for _, u := range res.Units {
			if u.Code == unit {
				return u.Components
			}
		}
		return nil
	}
	prevs := func(res *Results, unit string) []Prevalence {
		if unit == "CITY" {
			return res.City.Prevalence
		}
		for _, u := range res.Units {
			if u.Code == unit {
				return u.Prevalence
			}
		}
		return nil
	}
	const tol = 1e-6
	checked := map[string]int{}
	maxDiff := map[string]float64{}
	check := func(what string, r rRow, name string, got, want float64) {
		maxDiff[what] = max(maxDiff[what], math.Abs(got-want))
		if !near(got, want, tol) {
			t.Errorf("%s %s %s %s %s: Go %.10g, R %.10g", what, r.unit, r.typ, r.key, name, got, want)
		}
	}
	tests := map[[2]string]map[string]Test{} // period, unit → kind:key|type → test
	for p, res := range []*Results{res1, res2} {
		for _, x := range res.Tests {
			k := [2]string{strconv.Itoa(p), x.Unit}
			if tests[k] == nil {
				tests[k] = map[string]Test{}
			}
			tests[k][x.Kind+":"+x.Key+"|"+x.Type] = x
		}
	}
	unitOf := func(res *Results, code string) *UnitResult {
		for i := range res.Units {
			if res.Units[i].Code == code {
				return &res.Units[i]
			}
		}
		return nil
	}
	bhRows := [2]int{}
	checkFig := func(r rRow, f Figure) {
		if f.Suppressed {
			return
		}
		checked[r.what]++
		check(r.what, r, "n", float64(*f.N), r.n)
		check(r.what, r, "mean", *f.Score, r.mean)
		check(r.what, r, "se", *f.SE, r.se)
		check(r.what, r, "lo", f.CI[0], r.lo)
		check(r.what, r, "hi", f.CI[1], r.hi)
	}
	for _, r := range readR(t, filepath.Join(dir, "r_out.csv")) {
		res, resPS := res1, resPS1
		what, period := r.what, 0
		if strings.HasPrefix(what, "p2") {
			res, resPS, what, period = res2, resPS2, strings.TrimPrefix(what, "p2"), 1
		}
		switch what {
		case "city", "pscity", "cityelem":
			if what == "pscity" {
				res = resPS
			}
			c := res.City.Pooled.Components[r.typ]
			f := c.Figure
			if what == "cityelem" {
				f = c.Elements[r.key].Figure
			}
			if f.Suppressed {
				t.Errorf("%s %s %s: suppressed in Go", r.what, r.typ, r.key)
				continue
			}
			if what != "cityelem" {
				want := map[bool]string{true: EstStratified, false: EstPooled}[r.p == 1]
				if c.Estimator != want || c.DF == nil {
					t.Errorf("%s %s: estimator %q, R %q", r.what, r.typ, c.Estimator, want)
				} else {
					check(r.what, r, "df", *c.DF, r.df)
				}
				for _, u := range c.Units {
					if u == "u999" {
						t.Errorf("%s %s: the hidden unit is in the city", r.what, r.typ)
					}
				}
			}
			checkFig(r, f)
		case "cityprev":
			for _, p := range res.City.Prevalence {
				if p.Item == r.key && p.Type == r.typ && !p.Suppressed {
					checked[r.what]++
					check(r.what, r, "n", float64(*p.N), r.n)
					check(r.what, r, "p", *p.Prevalence, r.mean)
					check(r.what, r, "wilson lo", p.CI[0], r.lo)
					check(r.what, r, "wilson hi", p.CI[1], r.hi)
				}
			}
		case "bh":
			bhRows[period]++
			kind, key, _ := strings.Cut(r.key, ":")
			x, ok := tests[[2]string{strconv.Itoa(period), r.unit}][kind+":"+key+"|"+r.typ]
			if !ok {
				t.Errorf("%s %s %s %s: R tests, Go does not", r.what, r.unit, r.typ, r.key)
				continue
			}
			checked[r.what]++
			check(r.what, r, "p", x.P, r.p)
			check(r.what, r, "q (p.adjust BH)", x.Q, r.mean)
			if len(res.Tests) != int(r.n) {
				t.Errorf("%s: family of %d in Go, %v in R", r.what, len(res.Tests), r.n)
			}
		case "index":
			u := unitOf(res, r.unit)
			if u == nil || u.Index == nil {
				t.Errorf("%s %s: no index in Go", r.what, r.unit)
				continue
			}
			checked[r.what]++
			check(r.what, r, "index", *u.Index, r.mean)
			check(r.what, r, "se", *u.SE, r.se)
			if u.Category != r.typ {
				t.Errorf("%s %s: category %s, R %s of %.6f", r.what, r.unit, u.Category, r.typ, r.mean)
			}
			if u.Partial != (r.key == "partial") || u.CategoryIndicative != u.Partial {
				t.Errorf("%s %s: partial %v indicative %v, R %q", r.what, r.unit, u.Partial, u.CategoryIndicative, r.key)
			}
		case "trend":
			d := changes[r.unit].Components[r.typ]
			if d == nil || d.Suppressed {
				t.Errorf("%s %s %s: no change in Go", r.what, r.unit, r.typ)
				continue
			}
			checked[r.what]++
			check(what, r, "diff", *d.Diff, r.mean)
			check(what, r, "se", *d.SE, r.se)
			check(what, r, "lo", d.CI[0], r.lo)
			check(what, r, "hi", d.CI[1], r.hi)
			check(what, r, "p", *d.P, r.p)
			check(what, r, "df", *d.DF, r.df)
		case "comp", "pscomp":
			if what == "pscomp" {
				res = resPS
			}
			c := comps(res, r.unit)[r.typ]
			if c == nil {
				t.Errorf("%s %s %s: missing in Go", what, r.unit, r.typ)
				continue
			}
			if what == "pscomp" && !c.Weighted {
				continue
			}
			checkFig(rRow{what: r.what, unit: r.unit, typ: r.typ, n: r.n, mean: r.mean, se: r.se, lo: r.lo, hi: r.hi}, c.Figure)
		case "elem":
			checkFig(r, comps(res, r.unit)[r.typ].Elements[r.key].Figure)
		case "pselem":
			if f := comps(resPS, r.unit)[r.typ].Elements[r.key].Figure; f.Weighted {
				checkFig(r, f)
			}
		case "alpha", "rdrop", "adrop":
			el, item, _ := strings.Cut(r.key, ":")
			ef := comps(res, r.unit)[r.typ].Elements[el]
			if ef.Suppressed {
				continue
			}
			if ef.Reliability == nil {
				t.Errorf("%s %s %s %s: R reports α, Go none", what, r.unit, r.typ, r.key)
				continue
			}
			checked[r.what]++
			rel := ef.Reliability
			switch what {
			case "alpha":
				check(what, r, "alpha", rel.Alpha, r.mean)
				check(what, r, "n", float64(rel.N), r.n)
			default:
				for _, it := range rel.Items {
					if it.Item != item {
						continue
					}
					if what == "rdrop" && it.RDrop != nil {
						check(what, r, "r.drop", *it.RDrop, r.mean)
					} else if what == "rdrop" {
						t.Errorf("%s %s: no r.drop", r.unit, r.key)
					} else if it.AlphaDrop != nil {
						check(what, r, "alpha.drop", *it.AlphaDrop, r.mean)
					} else {
						t.Errorf("%s %s: no α if deleted", r.unit, r.key)
					}
				}
			}
		case "prev":
			for _, p := range prevs(res, r.unit) {
				if p.Item == r.key && p.Type == r.typ && !p.Suppressed {
					checked[r.what]++
					check(what, r, "n", float64(*p.N), r.n)
					check(what, r, "p", *p.Prevalence, r.mean)
					check(what, r, "lo", p.CI[0], r.lo)
					check(what, r, "hi", p.CI[1], r.hi)
				}
			}
		default:
			t.Fatalf("unknown R row %q", r.what)
		}
	}
	for _, what := range []string{"comp", "elem", "alpha", "rdrop", "adrop", "prev", "pscomp", "pselem", "city", "pscity",
		"cityelem", "cityprev", "bh", "index", "trend", "p2comp", "p2elem", "p2city", "p2pscity", "p2bh", "p2index"} {
		if checked[what] == 0 {
			t.Errorf("no %s figure was compared", what)
		}
	}
	for p, res := range []*Results{res1, res2} {
		if bhRows[p] != len(res.Tests) {
			t.Errorf("period %d: R's family has %d tests, Go's %d", p+1, bhRows[p], len(res.Tests))
		}
	}
	t.Logf("compared with R: %v", checked)
	worst := 0.0
	for _, what := range sortedKeys(maxDiff) {
		worst = max(worst, maxDiff[what])
	}
	t.Logf("largest |Go − R| over all %d compared figures: %.3g; by kind: %v", len(maxDiff), worst, maxDiff)
}
