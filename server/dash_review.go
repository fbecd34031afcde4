package server

import (
	"integritas/analysis"
	"integritas/export"
)

// reviewView is a unit's survey-integrity status as staff see it
// (spi-method §6): under review while a flagged coached cluster awaits the
// Inspectorate's decision, or its index withheld ("ditangguhkan") with the reason.
type reviewView struct {
	UnderReview bool
	Withheld    bool
	Reason      string
	Badge       string // the short word beside the unit's name
	Notice      string // the sentence with the reason
}

// review is the status of a unit's results, in the reader's language.
func review(tr translator, u *analysis.UnitResult) reviewView {
	v := reviewView{UnderReview: u.Review.UnderReview, Withheld: u.Review.Withheld, Reason: u.Review.Reason}
	switch {
	case v.Withheld:
		v.Badge, v.Notice = tr.T("review.withheld.short"), tr.T("review.withheld.long", "Reason", v.Reason)
	case v.UnderReview:
		v.Badge, v.Notice = tr.T("review.under_review"), tr.T("review.under_review.long")
	}
	return v
}

// indexFigure is a unit's index cell: the number, "—" when suppressed, or
// the word "ditangguhkan" when withheld.
func indexFigure(tr translator, u *analysis.UnitResult) fig {
	if u.Review.Withheld {
		return withheldFigure(tr)
	}
	return figure(tr, u.Index, 2, "")
}

// withheldFigure is the index cell of a withheld unit: the word, never a number.
func withheldFigure(tr translator) fig { return fig{Text: tr.T("review.withheld.short")} }

// withheldBadge is the category cell of a withheld unit.
func withheldBadge(tr translator) badge {
	return badge{analysis.CategoryWithheld, tr.T("review.withheld.short")}
}

// exclusionNotes state each recorded exclusion that removed responses of a
// unit (or the city): what, who, when, why and how many.
func exclusionNotes(tr translator, xs []analysis.AppliedExclusion) []string {
	return export.ExclusionNotes(tr, xs)
}
