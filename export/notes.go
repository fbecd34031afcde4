package export

import (
	"strings"

	"integritas/analysis"
	"integritas/locale"
	"integritas/survey"
)

// Setting is one method setting as a reader sees it.
type Setting struct{ Name, Value string }

// MethodSettings lists the method settings a result used, with the method
// version, in the translator's language (spi-method.md: every result states
// the settings it used). Pages and exports share it.
func MethodSettings(tr locale.Translator, s analysis.Settings) []Setting {
	label := func(b analysis.Band) string {
		if tr.Lang() == "en" {
			return b.Label.EN
		}
		return b.Label.ID
	}
	bands := make([]string, 0, len(s.Categories.Bands))
	for i, b := range s.Categories.Bands {
		if i == 0 && len(s.Categories.Bands) > 1 {
			bands = append(bands, label(b)+" < "+tr.Num(s.Categories.Bands[1].From, 1))
			continue
		}
		bands = append(bands, label(b)+" ≥ "+tr.Num(b.From, 1))
	}
	preset := s.Categories.Preset
	if preset == "" {
		preset = tr.T("dash.settings.custom")
	}
	var weights []string
	for _, t := range analysis.Types() {
		if w, ok := s.TypeWeights[t]; ok {
			weights = append(weights, tr.T("dash.type."+t)+" "+tr.Num(w, 2))
		}
	}
	if len(weights) == 0 {
		weights = []string{"—"}
	}
	weighting := tr.T("dash.settings.weighting_none")
	if s.Weighting == analysis.WeightingPoststrat {
		weighting = tr.T("dash.settings.weighting_poststrat")
	}
	return []Setting{
		{tr.T("review.settings.method"), s.Method},
		{tr.T("dash.settings.categories"), preset + ": " + strings.Join(bands, "; ")},
		{tr.T("dash.settings.type_weights"), strings.Join(weights, "; ")},
		{tr.T("dash.settings.min_group"), tr.Num(float64(s.MinGroup), 0)},
		{tr.T("dash.settings.min_group_text"), tr.Num(float64(s.MinGroupText), 0)},
		{tr.T("dash.settings.correction_cap"), tr.Num(s.CorrectionCap, 1)},
		{tr.T("dash.settings.margins"), tr.Num(s.TargetMargin, 1) + " / " + tr.Num(s.MaxMargin, 1)},
		{tr.T("dash.settings.hot_spot_share"), tr.Num(100*s.HotSpotShare, 0) + "%"},
		{tr.T("dash.settings.weighting"), weighting},
		{tr.T("review.settings.flagged"), tr.T("review.settings.flagged_value")},
	}
}

// ResultNotes are the notes of a results export: the period, what an empty
// cell means, and the method settings.
func ResultNotes(tr locale.Translator, period string, s analysis.Settings) []string {
	out := []string{tr.T("export.note.period", "Period", period), tr.T("export.note.suppressed", "K", s.MinGroup)}
	for _, st := range MethodSettings(tr, s) {
		out = append(out, st.Name+": "+st.Value)
	}
	return out
}

// AnswerNotes are the notes of an answers export: what it holds and what it left out.
func AnswerNotes(tr locale.Translator, period string, s analysis.Settings, sum AnswersSummary) []string {
	out := []string{tr.T("export.note.period", "Period", period), tr.T("export.note.answers", "Rows", tr.Num(float64(sum.Rows), 0)),
		tr.T("export.note.format"), tr.T("export.note.all_responses")}
	if len(sum.LeftOut) > 0 {
		groups := make([]string, 0, len(sum.LeftOut))
		for _, g := range sum.LeftOut {
			groups = append(groups, g.Unit+"/"+tr.T("dash.type."+g.Type))
		}
		out = append(out, tr.T("export.note.left_out", "K", s.MinGroup, "Rows", tr.Num(float64(sum.LeftOutRows), 0),
			"Groups", strings.Join(groups, ", ")))
	}
	if sum.HasStrata {
		out = append(out, tr.T("export.note.strata", "K", s.MinGroup, "Cells", sum.StrataHidden))
	}
	if sum.HasTextFields {
		out = append(out, tr.T("export.note.text", "KText", s.MinGroupText, "Withheld", sum.TextWithheld))
	}
	return out
}

// ResultsFor are the labelled options of a results export in a language;
// elements is the instrument's element order.
func ResultsFor(tr locale.Translator, period string, s analysis.Settings, elements []string) ResultsOptions {
	return ResultsOptions{Text: sheets(tr), CityPooled: tr.T("export.city_pooled"), CityUnitMean: tr.T("export.city_unit_mean"),
		Notes: append(ResultNotes(tr, period, s), tr.T("outputs.note.elements")), Elements: elements}
}

// AnswersFor are the labelled options of an answers export in a language;
// the codebook carries both languages.
func AnswersFor(b *locale.Bundle, lang, period string, s analysis.Settings) AnswersOptions {
	tr := b.For(lang)
	text := sheets(tr)
	text.Sheet = tr.T("export.sheet.answers")
	return AnswersOptions{Text: text, MinGroup: s.MinGroup, MinGroupText: s.MinGroupText,
		Notes: func(sum AnswersSummary) []string { return AnswerNotes(tr, period, s, sum) },
		Words: WordsFor(b), Lang: tr.Lang()}
}

func sheets(tr locale.Translator) Text {
	return Text{Sheet: tr.T("export.sheet.results"), NotesSheet: tr.T("export.sheet.notes"),
		ElementsSheet: tr.T("outputs.sheet.elements"), CodebookSheet: tr.T("outputs.sheet.codebook")}
}

// WordsFor are the codebook's words from the locale files, in both languages.
func WordsFor(b *locale.Bundle) Words {
	id, en := b.For("id"), b.For("en")
	both := func(key string) survey.Text { return survey.Text{ID: id.T(key), EN: en.T(key)} }
	w := Words{Yes: both("respondent.yes"), No: both("respondent.no"), DontKnow: both("respondent.dont_know"),
		NotAnswered: both("outputs.codebook.not_answered"), Vars: map[string]survey.Text{}}
	for _, v := range []string{"unit", "unit_name", "type", "channel", "duration_seconds"} {
		w.Vars[v] = both("outputs.codebook.var." + v)
	}
	return w
}

// ExclusionNotes state each recorded exclusion that removed responses of a
// unit (or the city): what, which type, how many, who, when and why
// (spi-method §6: shown on every result it touches).
func ExclusionNotes(tr locale.Translator, xs []analysis.AppliedExclusion) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if x.Responses == 0 {
			continue
		}
		var what string
		if x.Kind == analysis.ExcludeCluster {
			what = tr.T("review.exclusion.cluster", "Cluster", x.Cluster)
		} else {
			what = tr.T("review.exclusion.flag", "Flag", tr.T("dash.quality.flag."+x.Flag))
		}
		typ := tr.T("dash.filter.all_types")
		if x.Type != "" {
			typ = tr.T("dash.type." + x.Type)
		}
		out = append(out, tr.T("review.exclusion.note", "What", what, "Type", typ, "Responses", x.Responses, "By", x.By,
			"At", x.At.UTC().Format("2006-01-02 15:04"), "Reason", x.Reason))
	}
	return out
}
