package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"integritas/packet"
	"integritas/survey"
)

// packetsPage lists the latest packet of each unit, the latest build job
// of each language (with the units an unfinished one lacks), and the
// packet delivery log.
type packetsPage struct {
	inspPage
	Units      []survey.Unit
	Builds     map[string][]survey.PacketBuild // by unit code
	Jobs       []packetJobView
	Deliveries []survey.Delivery
}

// packetJobView is a build job as the page shows it.
type packetJobView struct {
	survey.PacketJob
	Missing []string // units not built yet, when the job is not done
}

// Running reports whether a build of the period is running, for the
// page's self-refresh.
func (pg packetsPage) Running() bool {
	for _, j := range pg.Jobs {
		if j.Status == survey.JobRunning {
			return true
		}
	}
	return false
}

func (s *Server) inspPackets(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.renderPackets(c, http.StatusOK, p, formPage{Notice: notice(c, "insp.packets.done.", "building", "queued", "resent", "already")})
}

func (s *Server) renderPackets(c *gin.Context, status int, p *survey.Period, f formPage) {
	ctx := c.Request.Context()
	units, err := s.store.Units(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	builds, err := s.store.LatestPacketBuilds(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	log, err := s.store.Deliveries(ctx, p.ID, survey.DeliveryPacket, 500)
	if err != nil {
		s.fail(c, err)
		return
	}
	jobs, err := s.store.LatestPacketJobs(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	pg := packetsPage{inspPage: s.inspBase(p, "packets", f), Units: units, Builds: map[string][]survey.PacketBuild{}, Deliveries: log}
	for _, b := range builds {
		pg.Builds[b.UnitCode] = append(pg.Builds[b.UnitCode], b)
	}
	for _, j := range jobs {
		v := packetJobView{PacketJob: j}
		if j.Status == survey.JobInterrupted || j.Status == survey.JobFailed {
			if v.Missing, err = s.store.PacketJobMissing(ctx, j.ID); err != nil {
				s.fail(c, err)
				return
			}
		}
		pg.Jobs = append(pg.Jobs, v)
	}
	s.render(c, status, "insp_packets", pg)
}

// inspPacketsBuild starts building every unit's packet in the background,
// as a job kept in the database; the page shows its progress. One job per
// period runs at a time.
func (s *Server) inspPacketsBuild(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	lang := c.PostForm("lang")
	if lang != "id" && lang != "en" {
		s.renderPackets(c, http.StatusBadRequest, p, formPage{Error: "insp.packets.lang.invalid"})
		return
	}
	if err := s.store.Headroom(); err != nil { // packets can wait; the disk's last space is for answers
		s.fail(c, &storageError{err})
		return
	}
	ctx := c.Request.Context()
	units, err := s.store.Units(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	codes := make([]string, len(units))
	for i, u := range units {
		codes[i] = u.Code
	}
	actor := currentUser(c).Email
	job, err := s.store.StartPacketJob(ctx, p.ID, lang, codes, actor)
	if errors.Is(err, survey.ErrJobRunning) {
		s.renderPackets(c, http.StatusConflict, p, formPage{Error: "insp.packets.busy"})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "packet.build", "period:"+p.Code, fmt.Sprintf("build %d: all %d units, %s", job.ID, len(codes), lang))
	go s.buildPackets(context.WithoutCancel(ctx), p, job, codes, actor)
	redirectDone(c, inspURL(p, "packets"), "building")
}

// inspPacketsResume builds the packets an interrupted or failed job lacks.
func (s *Server) inspPacketsResume(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.PostForm("job"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(c, errNotFound)
		return
	}
	if err := s.store.Headroom(); err != nil {
		s.fail(c, &storageError{err})
		return
	}
	ctx := c.Request.Context()
	job, missing, err := s.store.ResumePacketJob(ctx, p.ID, id)
	switch {
	case errors.Is(err, survey.ErrJobRunning):
		s.renderPackets(c, http.StatusConflict, p, formPage{Error: "insp.packets.busy"})
		return
	case errors.Is(err, survey.ErrConflict):
		s.renderPackets(c, http.StatusConflict, p, formPage{Error: "robust.packets.resume.not_needed"})
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	actor := currentUser(c).Email
	s.audit(c, "packet.build", "period:"+p.Code, fmt.Sprintf("build %d resumed: %d of %d units left, %s", job.ID, len(missing), job.Expected, job.Lang))
	go s.buildPackets(context.WithoutCancel(ctx), p, job, missing, actor)
	redirectDone(c, inspURL(p, "packets"), "building")
}

// buildPackets builds and stores the units' packets of a job; each packet
// and its count in the job are stored together, so a kill at any moment
// leaves the job's counts true.
func (s *Server) buildPackets(ctx context.Context, p *survey.Period, job survey.PacketJob, units []string, actor string) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	err := s.buildJobUnits(ctx, p, job, units, actor)
	reason := ""
	if err != nil {
		reason = err.Error()
		s.log.Error("packet build", "period", p.Code, "job", job.ID, "err", err)
	}
	if err := s.store.FinishPacketJob(context.WithoutCancel(ctx), job.ID, reason); err != nil {
		s.log.Error("packet build", "period", p.Code, "job", job.ID, "err", err)
	}
}

func (s *Server) buildJobUnits(ctx context.Context, p *survey.Period, job survey.PacketJob, units []string, actor string) error {
	if len(units) == 0 {
		return nil
	}
	src, err := s.packetSource(ctx, p.Code)
	if err != nil {
		return err
	}
	return src.BuildEach(ctx, job.Lang, units, func(unit string, zip []byte) error {
		_, err := s.store.SaveJobPacket(ctx, job.ID, unit, zip, actor)
		if err == nil && s.insp.packetSaved != nil {
			s.insp.packetSaved(unit)
		}
		return err
	}, nil)
}

// inspPacketPreview shows one unit's PDF report in the browser, built now.
func (s *Server) inspPacketPreview(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	src, err := s.packetSource(ctx, p.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	code := c.Param("unit")
	if !src.HasUnit(code) {
		s.fail(c, errNotFound)
		return
	}
	var buf bytes.Buffer
	if err := src.PDF(&buf, code, s.tr(c).Lang()); err != nil {
		s.fail(c, err)
		return
	}
	// Chrome draws a PDF through an internal <embed>, which the site's
	// "object-src 'none'" (and its default-src) would block (crbug 271452);
	// a PDF runs no page script, so only framing stays refused.
	c.Header("Content-Security-Policy", "frame-ancestors 'none'")
	c.Header("Content-Disposition", `inline; filename="`+packet.SafeName(code)+`.pdf"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
}
