package export

import (
	"strconv"
	"strings"

	"integritas/survey"
)

// Codes of the statistical package (ZIP): numbers only, so SPSS and R read
// every item column as numeric.
const (
	CodeYes      = 1  // experience item: yes
	CodeNo       = 0  // experience item: no
	CodeDontKnow = 99 // "tidak tahu": a declared missing value, never a score
)

// Words are the codebook's fixed words in both languages (Indonesian first).
type Words struct {
	Yes, No, DontKnow, NotAnswered survey.Text
	// Vars labels the columns before the items: unit, unit_name, type,
	// channel, duration_seconds.
	Vars map[string]survey.Text
}

// CodebookHeader is the header of the codebook: one row per variable of
// the answers export.
func CodebookHeader() []string {
	return []string{"variable", "position", "kind", "element", "respondent_types", "reversed",
		"label_id", "label_en", "values_id", "values_en", "missing_id", "missing_en"}
}

// variable is one column of the answers export as the codebook describes it.
type variable struct {
	name   string
	kind   string // "string", "number", or the item's scale kind
	item   *survey.Item
	label  survey.Text
	values [][2]string // code, label per language: [code, label] pairs for id then en
	valEN  [][2]string
}

// variables lists the answers export's columns in order, with their labels
// and value labels in the export's coding (numeric: the ZIP's numbers).
func variables(inst *survey.Instrument, w Words, numeric bool) []variable {
	var out []variable
	for _, h := range AnswersHeader(inst) {
		v := variable{name: h, kind: "string", label: w.Vars[h]}
		if h == "duration_seconds" {
			v.kind = "number"
		}
		if inst.Strata != nil && h == inst.Strata.Code {
			v.label = inst.Strata.Text
			for _, o := range inst.Strata.Options {
				v.values = append(v.values, [2]string{o.Code, o.Label.ID})
				v.valEN = append(v.valEN, [2]string{o.Code, o.Label.EN})
			}
		}
		if it, _, ok := inst.Item(h); ok {
			v.item, v.kind, v.label = &it, it.Scale.Kind, it.Text
			switch it.Scale.Kind {
			case survey.KindOrdinal:
				for i := range it.Scale.Points {
					c := strconv.Itoa(i + 1)
					v.values = append(v.values, [2]string{c, it.Scale.Labels.ID[i]})
					v.valEN = append(v.valEN, [2]string{c, label(it.Scale.Labels.EN, i, it.Scale.Labels.ID[i])})
				}
			case survey.KindExperience:
				yes, no := "yes", "no"
				if numeric {
					yes, no = strconv.Itoa(CodeYes), strconv.Itoa(CodeNo)
				}
				v.values = [][2]string{{yes, w.Yes.ID}, {no, w.No.ID}}
				v.valEN = [][2]string{{yes, w.Yes.EN}, {no, w.No.EN}}
			}
		}
		out = append(out, v)
	}
	return out
}

func label(l []string, i int, fallback string) string {
	if i < len(l) {
		return l[i]
	}
	return fallback
}

// dontKnow is the code of "tidak tahu" in the export's coding.
func dontKnow(numeric bool) string {
	if numeric {
		return strconv.Itoa(CodeDontKnow)
	}
	return "dk"
}

// coded reports whether the variable holds codes with value labels.
func (v variable) coded() bool { return len(v.values) > 0 }

// codebookRows are the codebook's rows.
func codebookRows(inst *survey.Instrument, w Words, numeric bool) [][]any {
	join := func(vs [][2]string) string {
		parts := make([]string, len(vs))
		for i, v := range vs {
			parts[i] = v[0] + "=" + v[1]
		}
		return strings.Join(parts, "; ")
	}
	var rows [][]any
	for i, v := range variables(inst, w, numeric) {
		var elem, types, reversed, missID, missEN any
		if v.item != nil {
			elem, types, reversed = v.item.Element, strings.Join(v.item.Types, ";"), v.item.Reverse
			missID, missEN = w.NotAnswered.ID, w.NotAnswered.EN
			if v.item.DontKnow {
				dk := dontKnow(numeric)
				missID = dk + "=" + w.DontKnow.ID + "; " + missID.(string)
				missEN = dk + "=" + w.DontKnow.EN + "; " + missEN.(string)
			}
		}
		rows = append(rows, []any{v.name, i + 1, v.kind, elem, types, reversed, v.label.ID, v.label.EN,
			join(v.values), join(v.valEN), missID, missEN})
	}
	return rows
}
