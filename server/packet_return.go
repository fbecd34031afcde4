package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"integritas/packet"
	"integritas/survey"
)

// packetReturnPage is the unit head's page behind the packet link: the
// download, and the form that returns the filled action-plan sheet.
type packetReturnPage struct {
	formPage
	Token, Unit, Period string
	Expires             string
}

// packetReturn shows the return form to the holder of an unexpired link.
func (s *Server) packetReturn(c *gin.Context) {
	b, p, ok := s.packetByLink(c)
	if !ok {
		return
	}
	s.renderReturn(c, http.StatusOK, b, p, formPage{Notice: notice(c, "cycle.return.done.", "uploaded")})
}

func (s *Server) renderReturn(c *gin.Context, status int, b survey.PacketBuild, p *survey.Period, f formPage) {
	s.render(c, status, "packet_return", packetReturnPage{formPage: f, Token: c.Param("token"), Unit: b.UnitCode, Period: p.Name})
}

// packetByLink loads the packet and period of an unexpired link; any other
// token is 404, as for the download.
func (s *Server) packetByLink(c *gin.Context) (survey.PacketBuild, *survey.Period, bool) {
	b, err := s.store.PacketByLink(c.Request.Context(), c.Param("token"))
	if err != nil {
		s.fail(c, errNotFound)
		return b, nil, false
	}
	p, err := s.store.PeriodByID(c.Request.Context(), b.PeriodID)
	if err != nil {
		s.fail(c, err)
		return b, nil, false
	}
	return b, p, true
}

// packetReturnUpload takes the returned workbook with the same checks as
// the inspectorate's upload, limited to the link's own unit: all rows are
// saved or, when any is wrong, none.
func (s *Server) packetReturnUpload(c *gin.Context) {
	b, p, ok := s.packetByLink(c)
	if !ok || !s.parseUpload(c) {
		return
	}
	refuse := func(msg string, problems []string) {
		s.renderReturn(c, http.StatusBadRequest, b, p, formPage{Error: msg, Problems: problems})
	}
	fh, err := c.FormFile("file")
	if err != nil {
		refuse("insp.followup.file.missing", nil)
		return
	}
	f, err := fh.Open()
	if err != nil {
		refuse("insp.upload.unreadable", nil)
		return
	}
	defer f.Close()
	var elements []string
	for _, e := range p.Instrument.Elements {
		elements = append(elements, e.Code)
	}
	by := "link:" + b.UnitCode
	plans, probs, err := packet.ParsePlans(f, s.bundle, []string{b.UnitCode}, elements, by)
	switch {
	case errors.Is(err, packet.ErrWorkbookLimits):
		refuse("robust.upload.workbook_limits", nil)
		return
	case errors.Is(err, packet.ErrPlanSheet):
		refuse("insp.followup.not_plan", nil)
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	if len(probs) > 0 {
		tr := s.tr(c)
		lines := make([]string, len(probs))
		for i, pr := range probs {
			lines[i] = tr.T("insp.followup.problem", "Row", pr.Row, "Column", pr.Column, "Message", pr.Message)
		}
		refuse("insp.followup.upload.invalid", lines)
		return
	}
	if len(plans) == 0 {
		refuse("insp.followup.upload.empty", nil)
		return
	}
	if err := s.store.SaveActionPlans(c.Request.Context(), p.ID, plans); err != nil {
		refuse("insp.followup.invalid", nil)
		return
	}
	s.auditAs(c, "link", "actionplan.return", "period:"+p.Code+"/unit:"+b.UnitCode, fmt.Sprintf("%d plans by the packet link", len(plans)))
	c.Redirect(http.StatusSeeOther, "/packet/"+c.Param("token")+"/return?done=uploaded")
}
