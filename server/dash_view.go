package server

import (
	"integritas/analysis"
	"integritas/export"
	"integritas/survey"
)

// fig is a figure as a page prints it: the number in the reader's format,
// or, when suppressed, empty with the reason's message id.
type fig struct {
	Text   string // "74,21"; "" when suppressed
	Reason string // why it is hidden, when Text is "", in the reader's language
}

// figure formats *v with d decimals; nil is suppressed for reason.
func figure(tr translator, v *float64, d int, reason string) fig {
	if v == nil {
		return fig{Reason: tr.T(suppressionKey(reason))}
	}
	return fig{Text: tr.Num(*v, d)}
}

// hidden is a figure suppressed for a small group.
func hidden(tr translator) fig { return fig{Reason: tr.T(suppressionKey(""))} }

// suppressionKey names the message explaining a suppression reason.
func suppressionKey(reason string) string {
	switch reason {
	case analysis.SuppressComplementary:
		return "dash.suppressed.complementary"
	case analysis.SuppressParent:
		return "dash.suppressed.parent"
	case analysis.SuppressWithheld:
		return "review.withheld.short"
	case analysis.SuppressDifferencing:
		return "review.suppressed.differencing"
	}
	return "dash.suppressed.min_group"
}

// ciText is "70,12–78,30", or "" when suppressed.
func ciText(tr translator, ci *[2]float64) string {
	if ci == nil {
		return ""
	}
	return tr.Num(ci[0], 2) + "–" + tr.Num(ci[1], 2)
}

// badge is a category badge: the slug (its colour) and its label.
type badge struct{ Slug, Label string }

// category labels a slug with the settings' bilingual band names.
func category(tr translator, s analysis.Settings, slug string) badge {
	if slug == "" {
		return badge{}
	}
	if slug == analysis.CategoryWithheld {
		return withheldBadge(tr)
	}
	for _, b := range s.Categories.Bands {
		if b.Slug == slug {
			if tr.Lang() == "en" {
				return badge{slug, b.Label.EN}
			}
			return badge{slug, b.Label.ID}
		}
	}
	return badge{slug, slug}
}

// typeName is a respondent type's name in the reader's language.
func typeName(tr translator, t string) string { return tr.T("dash.type." + t) }

// elementName is an element's name from the instrument, in the reader's language.
func elementName(inst *survey.Instrument, lang, code string) string {
	if e, ok := inst.Element(code); ok {
		return e.Name.In(lang)
	}
	return code
}

// elementCodes lists the instrument's elements in order.
func elementCodes(inst *survey.Instrument) []string {
	out := make([]string, 0, len(inst.Elements))
	for _, e := range inst.Elements {
		out = append(out, e.Code)
	}
	return out
}

// setting is one line of the method settings box.
type setting = export.Setting

// settingsView lists the method settings a result used.
func settingsView(tr translator, s analysis.Settings) []setting { return export.MethodSettings(tr, s) }

// flagNames localises a unit's flags.
func flagNames(tr translator, flags []string) []string {
	out := make([]string, 0, len(flags))
	for _, f := range flags {
		out = append(out, tr.T("dash.flag."+f))
	}
	return out
}
