package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/packet"
	"integritas/results"
	"integritas/survey"
)

// followUpPage tracks the action plans of a period's risk elements and
// proposes follow_up corrections for last period's plans that are missing.
type followUpPage struct {
	inspPage
	Rows      []followUpRow
	Units     []string // units with risk elements, for the entry form
	Proposals []packet.Proposal
	Previous  *survey.Period
	Statuses  []string
	Elements  map[string]string // code → name in the page's language
}

type followUpRow struct {
	Unit, UnitName, Element string
	Plan                    *survey.ActionPlan
}

func (s *Server) inspFollowUp(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.renderFollowUp(c, http.StatusOK, p, formPage{Notice: notice(c, "insp.followup.done.", "saved", "uploaded", "proposed")})
}

func (s *Server) renderFollowUp(c *gin.Context, status int, p *survey.Period, f formPage) {
	ctx := c.Request.Context()
	cur, err := s.results.Get(ctx, p.Code, results.Options{})
	if err != nil {
		s.fail(c, err)
		return
	}
	plans, err := s.store.ActionPlans(ctx, p.ID, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	have := map[string]*survey.ActionPlan{}
	for i := range plans {
		have[plans[i].UnitCode+"/"+plans[i].Element] = &plans[i]
	}
	pg := followUpPage{inspPage: s.inspBase(p, "followup", f), Statuses: survey.ActionStatuses, Elements: map[string]string{}}
	lang := s.tr(c).Lang()
	for _, e := range p.Instrument.Elements {
		pg.Elements[e.Code] = e.Name.In(lang)
	}
	for _, u := range cur.Results.Units {
		if len(u.RiskElements) > 0 {
			pg.Units = append(pg.Units, u.Code)
		}
		for _, re := range u.RiskElements {
			pg.Rows = append(pg.Rows, followUpRow{Unit: u.Code, UnitName: u.Name, Element: re.Element, Plan: have[u.Code+"/"+re.Element]})
		}
	}
	if pg.Previous, pg.Proposals, err = s.proposals(ctx, p); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "insp_followup", pg)
}

// proposals compares the previous period's risk elements with its plans.
func (s *Server) proposals(ctx context.Context, p *survey.Period) (*survey.Period, []packet.Proposal, error) {
	prev, err := s.store.PreviousPeriod(ctx, p)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	res, err := s.results.Get(ctx, prev.Code, results.Options{})
	if err != nil {
		return nil, nil, err
	}
	plans, err := s.store.ActionPlans(ctx, prev.ID, "")
	if err != nil {
		return nil, nil, err
	}
	return prev, packet.FollowUpProposals(res, plans), nil
}

// inspFollowUpSave records one unit's plan for one element, typed on the page.
func (s *Server) inspFollowUpSave(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	a := survey.ActionPlan{UnitCode: c.PostForm("unit"), Element: c.PostForm("element"), Action: strings.TrimSpace(c.PostForm("action")),
		Owner: strings.TrimSpace(c.PostForm("owner")), DueDate: strings.TrimSpace(c.PostForm("due")), Status: c.PostForm("status"),
		Evidence: strings.TrimSpace(c.PostForm("evidence")), UpdatedBy: currentUser(c).Email}
	if _, ok := p.Instrument.Element(a.Element); !ok || a.Action == "" {
		s.renderFollowUp(c, http.StatusBadRequest, p, formPage{Error: "insp.followup.invalid"})
		return
	}
	err := s.store.SaveActionPlans(c.Request.Context(), p.ID, []survey.ActionPlan{a})
	switch {
	case errors.Is(err, survey.ErrInvalidPlan), errors.Is(err, survey.ErrNotFound):
		s.renderFollowUp(c, http.StatusBadRequest, p, formPage{Error: "insp.followup.invalid", Problems: []string{err.Error()}})
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	s.audit(c, "actionplan.save", "period:"+p.Code+"/unit:"+a.UnitCode, a.Element+": "+a.Status)
	redirectDone(c, inspURL(p, "followup"), "saved")
}

// inspFollowUpUpload reads the rencana aksi sheet of returned packet
// workbooks; all rows are saved or, when any is wrong, none.
func (s *Server) inspFollowUpUpload(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok || !s.parseUpload(c) {
		return
	}
	fh, err := c.FormFile("file")
	if err != nil {
		s.renderFollowUp(c, http.StatusBadRequest, p, formPage{Error: "insp.followup.file.missing"})
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.renderFollowUp(c, http.StatusBadRequest, p, formPage{Error: "insp.upload.unreadable"})
		return
	}
	defer f.Close()
	ctx := c.Request.Context()
	units, err := s.store.Units(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	var codes, elements []string
	for _, u := range units {
		codes = append(codes, u.Code)
	}
	for _, e := range p.Instrument.Elements {
		elements = append(elements, e.Code)
	}
	plans, probs, err := packet.ParsePlans(f, s.bundle, codes, elements, currentUser(c).Email)
	if errors.Is(err, packet.ErrWorkbookLimits) {
		s.renderFollowUp(c, http.StatusBadRequest, p, formPage{Error: "robust.upload.workbook_limits"})
		return
	}
	if errors.Is(err, packet.ErrPlanSheet) {
		s.renderFollowUp(c, http.StatusBadRequest, p, formPage{Error: "insp.followup.not_plan"})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if len(probs) > 0 {
		tr := s.tr(c)
		lines := make([]string, len(probs))
		for i, pr := range probs {
			lines[i] = tr.T("insp.followup.problem", "Row", pr.Row, "Column", pr.Column, "Message", pr.Message)
		}
		s.renderFollowUp(c, http.StatusBadRequest, p, formPage{Error: "insp.followup.upload.invalid", Problems: lines})
		return
	}
	if len(plans) == 0 {
		s.renderFollowUp(c, http.StatusBadRequest, p, formPage{Error: "insp.followup.upload.empty"})
		return
	}
	if err := s.store.SaveActionPlans(ctx, p.ID, plans); err != nil {
		s.renderFollowUp(c, http.StatusBadRequest, p, formPage{Error: "insp.followup.invalid", Problems: []string{err.Error()}})
		return
	}
	s.audit(c, "actionplan.upload", "period:"+p.Code, fmt.Sprintf("%d plans from %s", len(plans), clipText(fh.Filename, 100)))
	redirectDone(c, inspURL(p, "followup"), "uploaded")
}
