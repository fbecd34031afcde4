package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"integritas/mail"
	"integritas/packet"
	"integritas/survey"
)

// inspPacketsSend queues each unit's packet (all units, or the one named
// by "unit") to its head: attached, or as an expiring link. A bulk send
// takes the latest build and refuses one that is running, interrupted or
// failed; every send skips a build already queued or sent to the same head,
// so a second click sends nothing twice (a deliberate resend is the
// delivery log's "resend").
func (s *Server) inspPacketsSend(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	mode, lang, only := c.PostForm("mode"), c.PostForm("lang"), c.PostForm("unit")
	if (mode != "attach" && mode != "link") || (lang != "id" && lang != "en") {
		s.renderPackets(c, http.StatusBadRequest, p, formPage{Error: "insp.packets.send.invalid"})
		return
	}
	ctx := c.Request.Context()
	var builds []survey.PacketBuild
	if only == "" {
		bp, err := s.bulkPackets(ctx, p, lang)
		if err != nil {
			s.fail(c, err)
			return
		}
		if bp.Refuse != "" {
			s.renderPackets(c, http.StatusConflict, p, formPage{Error: bp.Refuse, Problems: bp.Missing})
			return
		}
		if !s.confirmPacketsSend(c, p, lang, mode, bp) { // a bulk send shows what it will do first (insp_confirm.go)
			return
		}
		builds = bp.Builds
	} else {
		all, err := s.store.LatestPacketBuilds(ctx, p.ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, b := range all {
			if b.Lang == lang && b.UnitCode == only {
				builds = append(builds, b)
			}
		}
	}
	units, err := s.store.Units(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	byCode := map[string]survey.Unit{}
	for _, u := range units {
		byCode[u.Code] = u
	}
	var queued, already int
	var noMail []string
	for _, b := range builds {
		_, err := s.insp.mailer.QueuePacketOnce(ctx, p, byCode[b.UnitCode], b, mode == "attach", linkTTL)
		switch {
		case errors.Is(err, mail.ErrNoHeadEmail):
			noMail = append(noMail, b.UnitCode)
		case errors.Is(err, survey.ErrAlreadyQueued):
			already++
		case err != nil:
			s.fail(c, err)
			return
		default:
			queued++
		}
	}
	if queued == 0 && already == 0 && len(noMail) == 0 {
		s.renderPackets(c, http.StatusConflict, p, formPage{Error: "insp.packets.send.none"})
		return
	}
	s.audit(c, "packet.send", "period:"+p.Code, fmt.Sprintf("%d packets (%s, %s) queued, %d already queued or sent; no head e-mail: %v",
		queued, lang, mode, already, noMail))
	if len(noMail) > 0 {
		s.renderPackets(c, http.StatusOK, p, formPage{Notice: "insp.packets.done.queued", Error: "insp.packets.send.no_email", Problems: noMail})
		return
	}
	if queued == 0 {
		redirectDone(c, inspURL(p, "packets"), "already")
		return
	}
	redirectDone(c, inspURL(p, "packets"), "queued")
}

// inspResend queues a delivery again: a packet, the same packet to the
// unit's head as it is now (with a fresh link when it went as a link); an
// invitation or reminder, with a fresh link while the invitation is unused.
func (s *Server) inspResend(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	id, ok := s.idParam(c, "id")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	d, err := s.store.Delivery(ctx, id)
	if err != nil || d.PeriodID != p.ID {
		s.fail(c, errNotFound)
		return
	}
	if d.Kind != survey.DeliveryPacket {
		s.inspResendInvitation(c, p, d)
		return
	}
	if d.BuildID == 0 {
		s.renderPackets(c, http.StatusConflict, p, formPage{Error: "insp.resend.not_packet"})
		return
	}
	b, err := s.store.PacketBuild(ctx, d.BuildID)
	if err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.store.Unit(ctx, p.ID, d.UnitCode)
	if err != nil {
		s.fail(c, err)
		return
	}
	nid, err := s.insp.mailer.QueuePacket(ctx, p, u, b, d.Attach, linkTTL)
	if errors.Is(err, mail.ErrNoHeadEmail) {
		s.renderPackets(c, http.StatusConflict, p, formPage{Error: "insp.packets.send.no_email", Problems: []string{u.Code}})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "packet.resend", "period:"+p.Code+"/unit:"+u.Code, "delivery "+strconv.FormatInt(id, 10)+" as "+strconv.FormatInt(nid, 10))
	redirectDone(c, inspURL(p, "packets"), "resent")
}

// packetDownload serves a unit's latest packet to staff who may see the
// unit: viewers their own units only (unitScope answers 404 otherwise).
func (s *Server) packetDownload(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	builds, err := s.store.LatestPacketBuilds(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	code, lang := c.Param("unit"), s.tr(c).Lang()
	var pick *survey.PacketBuild
	for i, b := range builds {
		if b.UnitCode == code && (pick == nil || b.Lang == lang) {
			pick = &builds[i]
		}
	}
	if pick == nil {
		s.fail(c, errNotFound)
		return
	}
	b, err := s.store.PacketBuild(ctx, pick.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "packet.download", "period:"+p.Code+"/unit:"+code, "build "+strconv.FormatInt(b.ID, 10))
	s.sendZip(c, p, b)
}

// packetLink serves a packet to the holder of an unexpired download link.
func (s *Server) packetLink(c *gin.Context) {
	b, err := s.store.PacketByLink(c.Request.Context(), c.Param("token"))
	if err != nil {
		s.fail(c, errNotFound)
		return
	}
	p, err := s.store.PeriodByID(c.Request.Context(), b.PeriodID)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.auditAs(c, "link", "packet.download", "period:"+p.Code+"/unit:"+b.UnitCode, "build "+strconv.FormatInt(b.ID, 10)+" by link")
	s.sendZip(c, p, b)
}

func (s *Server) sendZip(c *gin.Context, p *survey.Period, b survey.PacketBuild) {
	name := packet.SafeName(p.Code + "-" + b.UnitCode + "-" + b.Lang)
	c.Header("Content-Disposition", `attachment; filename="`+name+`.zip"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/zip", b.Data)
}
