package server

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/export"
)

// exportResults downloads a period's results as CSV or XLSX, audited.
func (s *Server) exportResults(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, _, ok := s.loadResults(c)
		if !ok {
			return
		}
		tr := s.tr(c)
		res := r.Results
		opt := export.ResultsOptions{Text: exportText(tr, "export.sheet.results"), CityPooled: tr.T("export.city_pooled"),
			CityUnitMean: tr.T("export.city_unit_mean"), Notes: resultNotes(tr, r.Period.Name, res.Settings)}
		if err := s.store.Audit(c, actor(c), "export.results", "period:"+r.Period.Code, "format "+format); err != nil {
			s.fail(c, err)
			return
		}
		attachment(c, r.Period.Code+"-results."+format, format)
		if err := export.Results(c.Writer, format, res, opt); err != nil {
			s.log.Error("export results", "route", c.FullPath(), "err", err)
		}
	}
}

// exportAnswers streams a period's anonymised answers, audited before the
// first byte leaves (a failed stream still counts as an export).
func (s *Server) exportAnswers(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, err := s.store.Period(c, c.Param("period"))
		if err != nil {
			s.fail(c, err)
			return
		}
		st, err := analysis.ParseSettings(p.Settings)
		if err != nil {
			s.fail(c, err)
			return
		}
		if err := s.store.Audit(c, actor(c), "export.answers", "period:"+p.Code, "format "+format); err != nil {
			s.fail(c, err)
			return
		}
		tr := s.tr(c)
		opt := export.AnswersOptions{Text: exportText(tr, "export.sheet.answers"), MinGroup: st.MinGroup, MinGroupText: st.MinGroupText,
			Notes: func(sum export.AnswersSummary) []string { return answerNotes(tr, p.Name, st, sum) }}
		attachment(c, p.Code+"-answers."+format, format)
		if _, err := export.Answers(c, s.store, p, format, c.Writer, opt); err != nil {
			s.log.Error("export answers", "route", c.FullPath(), "err", err)
		}
	}
}

// attachment sets the download headers; the body follows.
func attachment(c *gin.Context, name, format string) {
	h := c.Writer.Header()
	h.Set("Content-Type", export.ContentType(format))
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, name, url.PathEscape(name)))
	h.Set("Cache-Control", "private, no-store")
}

func exportText(tr translator, sheet string) export.Text {
	return export.Text{Sheet: tr.T(sheet), NotesSheet: tr.T("export.sheet.notes")}
}

// resultNotes states the method settings and what an empty cell means.
func resultNotes(tr translator, period string, s analysis.Settings) []string {
	out := []string{tr.T("export.note.period", "Period", period), tr.T("export.note.suppressed", "K", s.MinGroup)}
	for _, st := range settingsView(tr, s) {
		out = append(out, st.Name+": "+st.Value)
	}
	return out
}

// answerNotes says what the answers export left out and why.
func answerNotes(tr translator, period string, s analysis.Settings, sum export.AnswersSummary) []string {
	out := []string{tr.T("export.note.period", "Period", period), tr.T("export.note.answers", "Rows", tr.Num(float64(sum.Rows), 0)),
		tr.T("export.note.format"), tr.T("export.note.all_responses")}
	if len(sum.LeftOut) > 0 {
		groups := make([]string, 0, len(sum.LeftOut))
		for _, g := range sum.LeftOut {
			groups = append(groups, g.Unit+"/"+typeName(tr, g.Type))
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
