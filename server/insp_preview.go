package server

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// inspPreview shows the questionnaire of one respondent type exactly as its
// respondents see it (?lang=id|en like every page), storing nothing: the
// form posts back here, where answers are checked and shown again, never
// saved, and no invitation or device cookie is involved.
func (s *Server) inspPreview(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	typ := c.Param("type")
	if !survey.ValidType(typ) {
		s.fail(c, errNotFound)
		return
	}
	v := formView{inst: p.Instrument, typ: typ, unitName: s.tr(c).T("cycle.preview.unit"), openLink: typ == survey.External,
		action: "/inspectorate/" + url.PathEscape(p.Code) + "/preview/" + typ, notice: "cycle.preview.notice", started: s.startStamp(0)}
	if c.Request.Method == http.MethodPost {
		in, err := readForm(c)
		if err != nil {
			s.fail(c, formErr(err))
			return
		}
		_, probs := p.Instrument.ParseAnswers(typ, in.answers)
		v.answers, v.problems, v.started = in.answers, probs, s.keepStart(in.started)
		v.notice = "cycle.preview.checked"
	}
	s.showForm(c, http.StatusOK, v)
}

// previewPage lists the preview links of a period: each type, each language.
type previewPage struct {
	inspPage
	Types []string
}

func (s *Server) inspPreviewIndex(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.render(c, http.StatusOK, "insp_preview", previewPage{inspPage: s.inspBase(p, "preview", formPage{}),
		Types: []string{survey.Internal, survey.External, survey.Expert}})
}
