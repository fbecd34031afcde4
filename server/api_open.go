package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// apiForm issues a signed open-link form for an app (GET
// /api/v1/forms/:period/:unit), with the device cookie: the app posts the
// form back in "form" with its answers, sending the cookie, to POST
// /api/v1/responses. Public, like the open link's page.
func (s *Server) apiForm(c *gin.Context) {
	e, u, err := s.openLink(c)
	if err == nil {
		err = s.accepting(e.p)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.deviceID(c, e.p, true)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"period": e.p.Code, "unit": u.Code, "form": s.issueForm(e.p, u),
		"expires_at": s.now().Add(openFormTTL).UTC().Format(time.RFC3339)})
}

// apiOpenSubmit stores an open-link response posted as JSON under the same
// checks as the page (respond_open.go); the app's own duration_seconds is
// ignored, the server measures the fill time from the form.
func (s *Server) apiOpenSubmit(c *gin.Context, tr translator, sub *survey.Submission, p *survey.Period, u survey.Unit, form string) {
	s.resp.open.spikes.record(p.ID, u.ID, s.now())
	tok, state := s.checkForm(form, p, u)
	dev, err := s.openGate(c, p, u, tok, state)
	if err == nil {
		err = s.storeOpen(c, p, u, tok, dev, sub)
	}
	if err != nil {
		s.apiFail(c, tr, submitErr(err), nil)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"status": "stored", "answered": sub.Response.Answers.Answered()})
}
