package server

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/survey"
)

// samplingPage lists a period's recorded draws and holds the form to draw.
type samplingPage struct {
	inspPage
	Samples []survey.Sample
	Units   []survey.Unit
	Form    sampleForm
}

type sampleForm struct {
	Margin, Seed string
	Invite       bool
	Lang         string
	Types        []string
	Units        []string
}

// Has reports whether the form chose a type or unit.
func (f sampleForm) Has(v string) bool {
	for _, x := range append(f.Types, f.Units...) {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Server) inspSampling(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.renderSampling(c, http.StatusOK, p, formPage{Notice: notice(c, "insp.sampling.done.", "drawn")},
		sampleForm{Margin: "5", Types: []string{survey.Internal, survey.Expert}, Invite: true, Lang: "id"})
}

func (s *Server) renderSampling(c *gin.Context, status int, p *survey.Period, f formPage, form sampleForm) {
	ctx := c.Request.Context()
	samples, err := s.store.Samples(ctx, p.ID, false)
	if err != nil {
		s.fail(c, err)
		return
	}
	units, err := s.store.Units(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if len(samples) > 1000 {
		samples = samples[:1000]
	}
	s.render(c, status, "insp_sampling", samplingPage{inspPage: s.inspBase(p, "sampling", f), Samples: samples, Units: units, Form: form})
}

// inspSampleDraw draws and records a seeded sample for the chosen units
// (all with a roster when none is chosen) and respondent types.
func (s *Server) inspSampleDraw(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	form := sampleForm{Margin: strings.TrimSpace(c.PostForm("margin")), Seed: strings.TrimSpace(c.PostForm("seed")),
		Types: c.PostFormArray("type"), Units: c.PostFormArray("unit"), Invite: c.PostForm("invite") == "1", Lang: c.PostForm("lang")}
	refuse := func(status int, msg string) { s.renderSampling(c, status, p, formPage{Error: msg}, form) }
	margin, err := strconv.ParseFloat(strings.ReplaceAll(form.Margin, ",", "."), 64)
	if err != nil || !(margin > 0 && margin <= 10) {
		refuse(http.StatusBadRequest, "insp.sampling.margin.invalid")
		return
	}
	var seed uint64
	if form.Seed == "" {
		var b [8]byte
		rand.Read(b[:])
		seed = binary.LittleEndian.Uint64(b[:]) >> 1
	} else if seed, err = strconv.ParseUint(form.Seed, 10, 63); err != nil {
		refuse(http.StatusBadRequest, "insp.sampling.seed.invalid")
		return
	}
	if form.Invite && form.Lang != "id" && form.Lang != "en" {
		refuse(http.StatusBadRequest, "insp.sampling.lang.invalid")
		return
	}
	if len(form.Types) == 0 {
		refuse(http.StatusBadRequest, "insp.sampling.types.missing")
		return
	}
	if p.Status == survey.StatusClosed {
		refuse(http.StatusConflict, "insp.period_closed")
		return
	}
	samples, err := s.store.DrawSample(c.Request.Context(), p.ID, survey.SampleRequest{Units: form.Units, Types: form.Types, Margin: margin,
		Seed: seed, By: currentUser(c).Email, Size: analysis.RequiredSampleSize})
	switch {
	case errors.Is(err, survey.ErrBadSample):
		refuse(http.StatusBadRequest, "insp.sampling.types.missing")
		return
	case errors.Is(err, survey.ErrNotFound):
		refuse(http.StatusBadRequest, "insp.unit.unknown")
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	drawn := 0
	for _, smp := range samples {
		drawn += smp.Size
	}
	s.audit(c, "sample.draw", "period:"+p.Code, fmt.Sprintf("seed %d, margin %.1f, %d samples, %d people", seed, margin, len(samples), drawn))
	if !form.Invite {
		redirectDone(c, inspURL(p, "sampling"), "drawn")
		return
	}
	inv, err := s.insp.mailer.InviteSample(c.Request.Context(), p, samples, form.Lang)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "invitation.create", "period:"+p.Code, fmt.Sprintf("%d invitations for the sample, %d e-mails queued, %d without e-mail", inv.Created, inv.Queued, inv.NoEmail))
	redirectDone(c, inspURL(p, "invitations"), "invited")
}
