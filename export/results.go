package export

import (
	"fmt"
	"io"
	"strings"

	"integritas/analysis"
)

// Row levels of the results table.
const (
	LevelUnit         = "unit"
	LevelCityPooled   = "city_pooled"
	LevelCityUnitMean = "city_unit_mean"
)

// ResultsOptions label a results export.
type ResultsOptions struct {
	Text
	CityPooled   string   // name of the pooled city row, e.g. "Kota (semua responden)"
	CityUnitMean string   // name of the mean-of-units row, e.g. "Kota (rata-rata unit)"
	Notes        []string // method settings, the include-flagged choice, what "empty" means
	// Elements is the instrument's element order of the element rows;
	// when empty, the codes present, sorted.
	Elements []string
}

// ResultsHeader is the results table's header: the row's level (unit,
// city, mean of units), then the unit's index, its components and flags.
func ResultsHeader() []string {
	h := []string{"level", "unit", "name", "parent", "index", "se", "ci_low", "ci_high", "margin", "category", "partial", "suppressed", "correction", "flags",
		"review", "review_reason", "exclusions"}
	for _, t := range analysis.Types() {
		h = append(h, t+"_score", t+"_se", t+"_n")
	}
	return h
}

// Results writes one row per unit, then the pooled city and the mean of the
// unit indices. Suppressed figures are empty cells, never zero.
func Results(w io.Writer, format string, res *analysis.Results, opt ResultsOptions) error {
	s, err := newSink(format, w, opt.Text)
	if err != nil {
		return err
	}
	if err := s.table(table{file: "results.csv", sheet: opt.Sheet, cols: ResultsHeader()}); err != nil {
		return err
	}
	for i := range res.Units {
		u := &res.Units[i]
		corr := u.Correction.Points
		row := indexCells(LevelUnit, u.Code, u.Name, u.Parent, u.IndexFigure, &corr, strings.Join(u.Flags, ";"))
		row = append(row, reviewCells(u)...)
		if err := s.row(append(row, componentCells(u.Components)...)); err != nil {
			return err
		}
	}
	pooled := res.City.Pooled
	row := indexCells(LevelCityPooled, "", opt.CityPooled, "", pooled.IndexFigure, nil, "")
	row = append(row, "", "", exclusionCell(res.City.Exclusions))
	if err := s.row(append(row, componentCells(pooled.Components)...)); err != nil {
		return err
	}
	mean := res.City.UnitMean
	row = indexCells(LevelCityUnitMean, "", opt.CityUnitMean, "", analysis.IndexFigure{Index: mean.Index, Category: mean.Category, Suppressed: mean.Index == nil}, nil, "")
	row = append(row, "", "", "")
	if err := s.row(append(row, componentCells(nil)...)); err != nil {
		return err
	}
	if s.wants("elements.csv") {
		if err := elementRows(s, res, opt); err != nil {
			return err
		}
	}
	if len(opt.Notes) > 0 {
		if err := s.notes(opt.Notes); err != nil {
			return err
		}
	}
	return s.close()
}

func indexCells(level, code, name, parent string, f analysis.IndexFigure, correction *float64, flags string) []any {
	var lo, hi any
	if f.CI != nil {
		lo, hi = f.CI[0], f.CI[1]
	}
	return []any{level, code, name, parent, fnum(f.Index), fnum(f.SE), lo, hi, fnum(f.Margin), f.Category,
		f.Partial, f.Suppressed, fnum(correction), flags}
}

// Review states of a unit's row (spi-method §6).
const (
	ReviewUnder    = "under_review" // a flagged coached cluster awaits the Inspectorate's decision
	ReviewWithheld = "withheld"     // the index is withheld ("ditangguhkan"); review_reason says why
)

// reviewCells are a unit's review state, its reason, and the exclusions
// that removed its responses.
func reviewCells(u *analysis.UnitResult) []any {
	state := ""
	switch {
	case u.Review.Withheld:
		state = ReviewWithheld
	case u.Review.UnderReview:
		state = ReviewUnder
	}
	return []any{state, u.Review.Reason, exclusionCell(u.Exclusions)}
}

// exclusionCell lists exclusions as "#id kind value type: n responses (by, at): reason; …".
func exclusionCell(xs []analysis.AppliedExclusion) string {
	parts := make([]string, 0, len(xs))
	for _, x := range xs {
		what := x.Flag
		if x.Kind == analysis.ExcludeCluster {
			what = x.Cluster
		}
		typ := x.Type
		if typ == "" {
			typ = "all"
		}
		parts = append(parts, fmt.Sprintf("#%d %s %s %s: %d responses (%s, %s): %s", x.ID, x.Kind, what, typ, x.Responses,
			x.By, x.At.UTC().Format("2006-01-02T15:04Z"), x.Reason))
	}
	return strings.Join(parts, "; ")
}

func componentCells(cs map[string]*analysis.Component) []any {
	var out []any
	for _, t := range analysis.Types() {
		c := cs[t]
		if c == nil {
			out = append(out, nil, nil, nil)
			continue
		}
		var n any
		if c.N != nil {
			n = *c.N
		}
		out = append(out, fnum(c.Score), fnum(c.SE), n)
	}
	return out
}

// fnum is a figure's cell: nil (empty) when suppressed.
func fnum(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
