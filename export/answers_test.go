package export

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"integritas/analysis"
	"integritas/survey"
)

// readAnswers exports the period's answers in format and reads the rows back.
func readAnswers(t *testing.T, st *survey.Store, p *survey.Period, format string, opt AnswersOptions) ([][]string, []string, AnswersSummary) {
	t.Helper()
	var buf bytes.Buffer
	sum, err := Answers(context.Background(), answersOf(t, st, p), format, &buf, opt)
	if err != nil {
		t.Fatal(err)
	}
	tables, notes, _ := readBack(t, format, buf.Bytes(), opt.NotesSheet)
	rows := map[string][][]string{CSV: tables["data"], ZIP: tables["answers.csv"], XLSX: tables[opt.Sheet]}[format]
	width := len(rows[0])
	for i := range rows { // excelize drops trailing empty cells
		for len(rows[i]) < width {
			rows[i] = append(rows[i], "")
		}
	}
	return rows, notes, sum
}

func TestAnswersExport(t *testing.T) {
	st, p := demoStore(t)
	// The export holds every stored answer; the engine counts every response
	// but the later copies of exact duplicates (spi-method v2 §6), so count
	// those too here to compare like with like.
	in := compute(t, st).Input
	flags, err := analysis.QualityFlags(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Decisions = map[int64]bool{}
	for id, fs := range flags {
		for _, f := range fs {
			if f.Code == analysis.FlagDuplicate {
				in.Decisions[id] = true
			}
		}
	}
	if len(in.Decisions) == 0 {
		t.Fatal("the demo city has no exact duplicates")
	}
	res, err := analysis.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	k, kText := res.Settings.MinGroup, res.Settings.MinGroupText
	opt := AnswersOptions{Text: Text{Sheet: "Jawaban", NotesSheet: "Catatan"}, MinGroup: k, MinGroupText: kText,
		Notes: func(s AnswersSummary) []string { return []string{"left out", strings.Repeat("x", len(s.LeftOut))} }}
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			rows, notes, sum := readAnswers(t, st, p, format, opt)
			header := rows[0]
			if !slices.Equal(header, AnswersHeader(p.Instrument)) {
				t.Fatalf("header %v", header)
			}
			for _, h := range header {
				if h == "id" || strings.Contains(h, "hour") || strings.Contains(h, "device") || strings.Contains(h, "submitted") {
					t.Errorf("identifying column %q", h)
				}
			}
			col := map[string]int{}
			for i, h := range header {
				col[h] = i
			}
			if format != CSV && (len(notes) != 2 || notes[1] != strings.Repeat("x", len(sum.LeftOut))) {
				t.Errorf("notes %q", notes)
			}
			rows = rows[1:]
			if sum.Rows != len(rows) {
				t.Errorf("summary says %d rows, read %d", sum.Rows, len(rows))
			}

			// Left out: every group under k, and per type at least two groups
			// holding at least k responses together (complementary).
			left := map[[2]string]string{}
			hidden := map[string][2]int{}
			for _, g := range sum.LeftOut {
				left[[2]string{g.Unit, g.Type}] = g.Why
				h := hidden[g.Type]
				hidden[g.Type] = [2]int{h[0] + 1, h[1] + g.N}
			}
			for _, u := range res.Units {
				for typ, rc := range u.ResponseCounts {
					if rc.Received > 0 && rc.Received < k && left[[2]string{u.Code, typ}] != OutMinGroup {
						t.Errorf("%s %s: %d responses, not left out", u.Code, typ, rc.Received)
					}
				}
			}
			if left[[2]string{"KESBANGPOL", survey.Internal}] != OutMinGroup {
				t.Errorf("KESBANGPOL internal not left out: %v", sum.LeftOut)
			}
			for typ, h := range hidden {
				if h[0] < 2 || h[1] < k {
					t.Errorf("%s: %d groups with %d responses left out; a subtraction reveals them", typ, h[0], h[1])
				}
			}

			// Per group: the row count is what the engine received, and the
			// prevalence computed from the rows equals the engine's.
			type group struct{ unit, typ string }
			n := map[group]int{}
			yesN, noN := map[group]map[string]int{}, map[group]map[string]int{}
			var expItems []survey.Item
			for _, it := range p.Instrument.Items {
				if it.Scale.Kind == survey.KindExperience {
					expItems = append(expItems, it)
				}
			}
			strata := map[[3]string]int{}
			sawEvil := false
			for _, r := range rows {
				g := group{r[col["unit"]], r[col["type"]]}
				if _, out := left[[2]string{g.unit, g.typ}]; out {
					t.Fatalf("row of a left-out group %v", g)
				}
				if r[col["unit_name"]] == "'"+evil {
					sawEvil = true
				} else if strings.HasPrefix(r[col["unit_name"]], "=") {
					t.Errorf("formula cell %q", r[col["unit_name"]])
				}
				n[g]++
				if s := r[col[p.Instrument.Strata.Code]]; s != "" {
					strata[[3]string{g.unit, g.typ, s}]++
				}
				if yesN[g] == nil {
					yesN[g], noN[g] = map[string]int{}, map[string]int{}
				}
				for _, it := range expItems {
					switch v := r[col[it.Code]]; {
					case v == "yes" && format != ZIP, v == "1" && format == ZIP:
						yesN[g][it.Code]++
					case v == "no" && format != ZIP, v == "0" && format == ZIP:
						noN[g][it.Code]++
					case v == "", v == "dk" && format != ZIP, v == "99" && format == ZIP:
					default:
						t.Fatalf("experience answer %q", r[col[it.Code]])
					}
				}
			}
			if !sawEvil {
				t.Error("the evil unit name is missing")
			}
			for key, c := range strata {
				if c < k {
					t.Errorf("stratum cell %v shown with %d < k responses", key, c)
				}
			}
			checked := 0
			for _, u := range res.Units {
				for typ, rc := range u.ResponseCounts {
					g := group{u.Code, typ}
					if _, out := left[[2]string{u.Code, typ}]; out {
						continue
					}
					if n[g] != rc.Received {
						t.Errorf("%v: %d rows, engine received %d", g, n[g], rc.Received)
					}
				}
				for _, pv := range u.Prevalence {
					if pv.Suppressed || pv.Prevalence == nil {
						continue
					}
					// the export holds every answer; the engine counts an
					// exact duplicate once (spi-method v2 §6)
					if rc := u.ResponseCounts[pv.Type]; rc.Included != rc.Received {
						continue
					}
					g := group{u.Code, pv.Type}
					y, no := yesN[g][pv.Item], noN[g][pv.Item]
					if got := float64(y) / float64(y+no); math.Abs(got-*pv.Prevalence) > 1e-12 || y+no != *pv.N {
						t.Errorf("%v %s: prevalence %d/%d from the export, engine %v of %d", g, pv.Item, y, y+no, *pv.Prevalence, *pv.N)
					}
					checked++
				}
			}
			if checked < 50 {
				t.Errorf("only %d prevalences compared", checked)
			}

			// Free text only for groups of at least k_text.
			for _, it := range p.Instrument.Items {
				if it.Scale.Kind != survey.KindText {
					continue
				}
				for _, r := range rows {
					if r[col[it.Code]] != "" && n[group{r[col["unit"]], r[col["type"]]}] < kText {
						t.Errorf("free text of a group under k_text: %v", r[:3])
					}
				}
			}
			if sum.TextGroups == 0 || sum.TextWithheld == 0 {
				t.Errorf("fixture should have both text groups shown (%d) and withheld (%d)", sum.TextGroups, sum.TextWithheld)
			}
		})
	}
}

func TestAnswersExportRefusesBadThresholds(t *testing.T) {
	st, p := demoStore(t)
	if _, err := Answers(context.Background(), answersOf(t, st, p), CSV, &bytes.Buffer{}, AnswersOptions{MinGroup: 5, MinGroupText: 3}); err == nil {
		t.Error("k_text < k accepted")
	}
	if _, err := Answers(context.Background(), answersOf(t, st, p), "ods", &bytes.Buffer{}, AnswersOptions{MinGroup: 5, MinGroupText: 10}); err == nil {
		t.Error("ods accepted")
	}
}
