package server

import (
	"fmt"
	"net/url"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/export"
	"integritas/results"
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
		opt := export.ResultsFor(tr, r.Period.Name, res.Settings, elementCodes(r.Period.Instrument))
		if err := s.audit(c, "export.results", "period:"+r.Period.Code, "format "+format); err != nil {
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
		p, err := s.store.Period(c.Request.Context(), c.Param("period"))
		if err != nil {
			s.fail(c, err)
			return
		}
		st, err := analysis.ParseSettings(p.Settings)
		if err != nil {
			s.fail(c, err)
			return
		}
		if err := s.audit(c, "export.answers", "period:"+p.Code, "format "+format); err != nil {
			s.fail(c, err)
			return
		}
		src, err := results.AnswersOf(c.Request.Context(), s.store, p)
		if err != nil {
			s.fail(c, err)
			return
		}
		opt := export.AnswersFor(s.bundle, s.tr(c).Lang(), p.Name, st)
		attachment(c, p.Code+"-answers."+format, format)
		if _, err := export.Answers(c.Request.Context(), src, format, c.Writer, opt); err != nil {
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
