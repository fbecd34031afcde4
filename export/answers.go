package export

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"integritas/results"
	"integritas/survey"
)

// AnswersOptions set the thresholds and words of an answers export.
type AnswersOptions struct {
	Text
	MinGroup     int // k: smaller unit × type groups are left out
	MinGroupText int // k_text: free text only for groups at least this large
	// Notes, when set, returns the notes written after the rows, given what
	// was left out.
	Notes func(AnswersSummary) []string
	// Words label the codebook; Lang ("id" or "en") is the language of the
	// SPSS and R labels.
	Words Words
	Lang  string
}

// AnswersSummary tells what an answers export holds and what it left out.
type AnswersSummary struct {
	Rows          int
	LeftOut       []Group // groups whose rows were left out, by unit and type
	LeftOutRows   int
	StrataHidden  int // stratum cells (unit × type × stratum) blanked
	TextGroups    int // groups whose free text is included
	TextWithheld  int // groups with free text under k_text, withheld
	HasStrata     bool
	HasTextFields bool
}

// AnswersHeader is the header of an answers export of the instrument.
func AnswersHeader(inst *survey.Instrument) []string {
	h := []string{"unit", "unit_name", "type", "channel", "duration_seconds"}
	if inst.Strata != nil {
		h = append(h, inst.Strata.Code)
	}
	for _, it := range inst.Items {
		if it.Scale.Kind != survey.KindText {
			h = append(h, it.Code)
		}
	}
	for _, it := range inst.Items {
		if it.Scale.Kind == survey.KindText {
			h = append(h, it.Code)
		}
	}
	return h
}

// Answers streams a period's anonymised answers, one row per response, in
// the response CSV format (1..k, yes/no, dk; empty when not answered).
func Answers(ctx context.Context, src *results.Answers, format string, w io.Writer, opt AnswersOptions) (AnswersSummary, error) {
	var sum AnswersSummary
	if opt.MinGroup < 1 || opt.MinGroupText < opt.MinGroup {
		return sum, fmt.Errorf("export: answers: thresholds k=%d, k_text=%d", opt.MinGroup, opt.MinGroupText)
	}
	p := src.Period
	codes := make([]string, 0, len(src.Units))
	byID := make(map[int64]survey.Unit, len(src.Units))
	for _, u := range src.Units {
		codes = append(codes, u.Code)
		byID[u.ID] = u
	}
	byCode := map[string]map[string]int{}
	for id, m := range src.Counts {
		byCode[byID[id].Code] = m
	}
	left := planGroups(byCode, codes, survey.Types, opt.MinGroup)
	keep := func(unit, typ string) bool { _, out := left[[2]string{unit, typ}]; return !out }
	for key, why := range left {
		g := Group{Unit: key[0], Type: key[1], N: byCode[key[0]][key[1]], Why: why}
		sum.LeftOut = append(sum.LeftOut, g)
		sum.LeftOutRows += g.N
	}
	slices.SortFunc(sum.LeftOut, func(a, b Group) int { return cmp.Or(cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Type, b.Type)) })

	inst := p.Instrument
	var hiddenStrata map[stratumKey]bool
	if inst.Strata != nil {
		sum.HasStrata = true
		var err error
		if hiddenStrata, err = planStrata(ctx, src, opt.MinGroup, func(id int64, t string) bool { return keep(byID[id].Code, t) }); err != nil {
			return sum, err
		}
		sum.StrataHidden = len(hiddenStrata)
	}
	texts, err := textsFor(ctx, src, byCode, byID, opt.MinGroupText, keep, &sum)
	if err != nil {
		return sum, err
	}

	s, err := newSink(format, w, opt.Text)
	if err != nil {
		return sum, err
	}
	if err := s.table(table{file: "answers.csv", sheet: opt.Sheet, cols: AnswersHeader(inst)}); err != nil {
		return sum, err
	}
	// The ZIP is read by SPSS and R: numbers only in item columns, and no
	// line break inside a cell (SPSS reads one case per line).
	zs, numeric := s.(*zipSink)
	var ordinal, text []int
	for i, it := range inst.Items {
		if it.Scale.Kind == survey.KindText {
			text = append(text, i)
		} else {
			ordinal = append(ordinal, i)
		}
	}
	cells := make([]any, 0, len(AnswersHeader(inst)))
	err = src.Each(ctx, func(r *survey.StoredResponse) error {
		u := byID[r.UnitID]
		if !keep(u.Code, r.Type) {
			return nil
		}
		cells = append(cells[:0], u.Code, u.Name, r.Type, r.Channel, nil)
		if r.Duration >= 0 {
			cells[4] = r.Duration
		}
		if inst.Strata != nil {
			var sv any
			if r.Stratum != "" && !hiddenStrata[stratumKey{r.UnitID, r.Type, r.Stratum}] {
				sv = r.Stratum
			}
			cells = append(cells, sv)
		}
		for _, i := range ordinal {
			var v any
			if i < len(r.Answers) {
				if numeric {
					v = numericCell(inst.Items[i], r.Answers[i])
				} else {
					v = answerCell(inst.Items[i], r.Answers[i])
				}
			}
			cells = append(cells, v)
		}
		for _, i := range text {
			var v any
			if t, ok := texts[r.ID][inst.Items[i].Code]; ok {
				if numeric {
					t = oneLine.Replace(t)
				}
				v = t
			}
			cells = append(cells, v)
		}
		sum.Rows++
		return s.row(cells)
	})
	if err != nil {
		return sum, err
	}
	var widths []int
	if numeric {
		widths = slices.Clone(zs.width)
	}
	if s.wants("codebook.csv") {
		if err := s.table(table{file: "codebook.csv", sheet: opt.CodebookSheet, cols: CodebookHeader()}); err != nil {
			return sum, err
		}
		for _, row := range codebookRows(inst, opt.Words, numeric) {
			if err := s.row(row); err != nil {
				return sum, err
			}
		}
	}
	if opt.Notes != nil {
		if err := s.notes(opt.Notes(sum)); err != nil {
			return sum, err
		}
	}
	if err := s.file("answers.sps", func(w io.Writer) error { return writeSPS(w, inst, opt.Words, opt.Lang, widths) }); err != nil {
		return sum, err
	}
	if err := s.file("answers.R", func(w io.Writer) error { return writeR(w, inst, opt.Words, opt.Lang) }); err != nil {
		return sum, err
	}
	return sum, s.close()
}

// oneLine joins a free-text answer's lines for the ZIP's CSV.
var oneLine = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")

// numericCell is an answer in the ZIP's coding: the position 1..k, 1 yes,
// 0 no, 99 "tidak tahu", nil when not answered.
func numericCell(it survey.Item, b byte) any {
	switch {
	case b == survey.AnswerNone:
		return nil
	case b == survey.AnswerDontKnow:
		return CodeDontKnow
	case it.Scale.Kind == survey.KindOrdinal:
		return int(b)
	case it.Scale.Kind == survey.KindExperience && b == survey.AnswerYes:
		return CodeYes
	case it.Scale.Kind == survey.KindExperience && b == survey.AnswerNo:
		return CodeNo
	}
	return nil
}

// answerCell is an answer as in the response CSV format: the position 1..k
// as a number, "yes", "no", "dk", or nil when not answered.
func answerCell(it survey.Item, b byte) any {
	switch {
	case b == survey.AnswerNone:
		return nil
	case b == survey.AnswerDontKnow:
		return "dk"
	case it.Scale.Kind == survey.KindOrdinal:
		return int(b)
	}
	if v := survey.FormatValue(it, b); v != "" {
		return v
	}
	return nil
}

type stratumKey struct {
	unit    int64
	typ     string
	stratum string
}

// planStrata counts the responses per unit × type × stratum in one pass
// and returns the stratum cells to blank.
func planStrata(ctx context.Context, src *results.Answers, k int, keep func(int64, string) bool) (map[stratumKey]bool, error) {
	counts := map[stratumKey]int{}
	err := src.Each(ctx, func(r *survey.StoredResponse) error {
		if r.Stratum != "" && keep(r.UnitID, r.Type) {
			counts[stratumKey{r.UnitID, r.Type, r.Stratum}]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	type group struct {
		unit int64
		typ  string
	}
	cells := map[group][]stratumKey{}
	for key := range counts {
		g := group{key.unit, key.typ}
		cells[g] = append(cells[g], key)
	}
	out := map[stratumKey]bool{}
	for _, keys := range cells {
		slices.SortFunc(keys, func(a, b stratumKey) int { return cmp.Compare(a.stratum, b.stratum) })
		n := make([]int, len(keys))
		for i, key := range keys {
			n[i] = counts[key]
		}
		for i := range hide(n, k) {
			out[keys[i]] = true
		}
	}
	return out, nil
}

// textsFor loads the free-text answers of the groups with at least k_text
// responses that the export keeps, by response id.
func textsFor(ctx context.Context, src *results.Answers, counts map[string]map[string]int, byID map[int64]survey.Unit,
	kText int, keep func(string, string) bool, sum *AnswersSummary) (map[int64]map[string]string, error) {
	hasText := false
	for _, it := range src.Period.Instrument.Items {
		hasText = hasText || it.Scale.Kind == survey.KindText
	}
	if !hasText {
		return nil, nil
	}
	sum.HasTextFields = true
	all, err := src.Texts(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64]map[string]string{}
	in, withheld := map[[2]string]bool{}, map[[2]string]bool{}
	for _, t := range all {
		code := byID[t.UnitID].Code
		g := [2]string{code, t.Type}
		if !keep(code, t.Type) {
			continue
		}
		if counts[code][t.Type] < kText {
			withheld[g] = true
			continue
		}
		in[g] = true
		if out[t.ResponseID] == nil {
			out[t.ResponseID] = map[string]string{}
		}
		out[t.ResponseID][t.Item] = t.Body
	}
	sum.TextGroups, sum.TextWithheld = len(in), len(withheld)
	return out, nil
}
