package server

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// correctionsPage lists a period's correction-factor items with the form to add one.
type correctionsPage struct {
	inspPage
	Items []survey.Correction
	Units []survey.Unit
	Kinds []string
	Form  correctionForm
}

type correctionForm struct {
	Unit, Kind, Points, Reason, Evidence string
}

func (s *Server) inspCorrections(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.renderCorrections(c, http.StatusOK, p, formPage{Notice: notice(c, "insp.corrections.done.", "added", "deleted")}, correctionForm{Kind: "other"})
}

func (s *Server) renderCorrections(c *gin.Context, status int, p *survey.Period, f formPage, form correctionForm) {
	ctx := c.Request.Context()
	items, err := s.store.Corrections(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	units, err := s.store.Units(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "insp_corrections", correctionsPage{inspPage: s.inspBase(p, "corrections", f), Items: items, Units: units,
		Kinds: survey.CorrectionKinds, Form: form})
}

// inspCorrectionAdd records a correction item with its reason and evidence.
func (s *Server) inspCorrectionAdd(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	form := correctionForm{Unit: c.PostForm("unit"), Kind: c.PostForm("kind"), Points: strings.TrimSpace(c.PostForm("points")),
		Reason: strings.TrimSpace(c.PostForm("reason")), Evidence: strings.TrimSpace(c.PostForm("evidence"))}
	refuse := func(msg string) {
		s.renderCorrections(c, http.StatusBadRequest, p, formPage{Error: msg}, form)
	}
	points, err := strconv.ParseFloat(strings.ReplaceAll(form.Points, ",", "."), 64)
	switch {
	case err != nil || !(points >= 0 && points <= 100): // written so that NaN fails too
		refuse("insp.corrections.points.invalid")
		return
	case form.Reason == "" || len(form.Reason) > 2000:
		refuse("insp.corrections.reason.invalid")
		return
	case len(form.Evidence) > 2000:
		refuse("insp.corrections.evidence.invalid")
		return
	case !slices.Contains(survey.CorrectionKinds, form.Kind):
		refuse("insp.corrections.kind.invalid")
		return
	}
	ctx := c.Request.Context()
	if _, err := s.store.Unit(ctx, p.ID, form.Unit); err != nil {
		refuse("insp.unit.unknown")
		return
	}
	over, limit, total, err := s.overCap(ctx, p, form.Unit, points)
	if err != nil {
		s.fail(c, err)
		return
	}
	if over {
		tr := s.tr(c)
		s.renderCorrections(c, http.StatusBadRequest, p, formPage{Error: "cycle.correction.over_cap", Problems: []string{
			tr.T("cycle.correction.cap", "Cap", tr.Num(limit, 1), "Total", tr.Num(total, 1), "Points", tr.Num(points, 1))}}, form)
		return
	}
	actor := currentUser(c).Email
	if _, err := s.store.AddCorrection(ctx, survey.Correction{PeriodID: p.ID, UnitCode: form.Unit, Kind: form.Kind, Points: points,
		Reason: form.Reason, Evidence: form.Evidence, SetBy: actor}); err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "correction.add", "period:"+p.Code+"/unit:"+form.Unit, fmt.Sprintf("%.2f points (%s): %s", points, form.Kind, clipText(form.Reason, 200)))
	redirectDone(c, inspURL(p, "corrections"), "added")
}

// inspCorrectionDelete removes one correction item; the audit log keeps what it was.
func (s *Server) inspCorrectionDelete(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	id, ok := s.idParam(c, "id")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	why := strings.TrimSpace(c.PostForm("why"))
	if why == "" || len(why) > 2000 {
		s.renderCorrections(c, http.StatusBadRequest, p, formPage{Error: "insp.corrections.why.missing"}, correctionForm{Kind: "other"})
		return
	}
	items, err := s.store.Corrections(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	i := slices.IndexFunc(items, func(x survey.Correction) bool { return x.ID == id })
	if i < 0 {
		s.fail(c, errNotFound)
		return
	}
	if err := s.store.DeleteCorrection(ctx, p.ID, id); err != nil {
		s.fail(c, err)
		return
	}
	it := items[i]
	s.audit(c, "correction.delete", "period:"+p.Code+"/unit:"+it.UnitCode,
		fmt.Sprintf("%.2f points (%s): %s; reason for deletion: %s", it.Points, it.Kind, clipText(it.Reason, 200), clipText(why, 200)))
	redirectDone(c, inspURL(p, "corrections"), "deleted")
}
