package server

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"integritas/packet"
	"integritas/results"
	"integritas/survey"
)

// packetsPage lists the latest packet of each unit, the build job, and the
// packet delivery log.
type packetsPage struct {
	inspPage
	Units      []survey.Unit
	Builds     map[string][]survey.PacketBuild // by unit code
	Job        *buildJob
	Deliveries []survey.Delivery
	Review     map[string]reviewView // by unit code: under review or withheld
}

func (s *Server) inspPackets(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.renderPackets(c, http.StatusOK, p, formPage{Notice: notice(c, "insp.packets.done.", "building", "queued", "resent")})
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
	pg := packetsPage{inspPage: s.inspBase(p, "packets", f), Units: units, Builds: map[string][]survey.PacketBuild{}, Deliveries: log,
		Review: map[string]reviewView{}}
	if r, err := s.results.Get(ctx, p.Code, results.Options{}); err == nil {
		tr := s.tr(c)
		for i := range r.Results.Units {
			pg.Review[r.Results.Units[i].Code] = review(tr, &r.Results.Units[i])
		}
	}
	for _, b := range builds {
		pg.Builds[b.UnitCode] = append(pg.Builds[b.UnitCode], b)
	}
	s.insp.mu.Lock()
	if j := s.insp.jobs[p.Code]; j != nil {
		cp := *j
		pg.Job = &cp
	}
	s.insp.mu.Unlock()
	s.render(c, status, "insp_packets", pg)
}

// inspPacketsBuild starts building every unit's packet in the background;
// the page shows the progress. One job per period runs at a time.
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
	s.insp.mu.Lock()
	if j := s.insp.jobs[p.Code]; j != nil && j.Running {
		s.insp.mu.Unlock()
		s.renderPackets(c, http.StatusConflict, p, formPage{Error: "insp.packets.busy"})
		return
	}
	job := &buildJob{Lang: lang, Running: true, Started: s.now()}
	s.insp.jobs[p.Code] = job
	s.insp.mu.Unlock()
	actor := currentUser(c).Email
	s.audit(c, "packet.build", "period:"+p.Code, "all units, "+lang)
	go s.buildPackets(context.WithoutCancel(c.Request.Context()), p, lang, actor, job)
	redirectDone(c, inspURL(p, "packets"), "building")
}

// buildPackets builds and stores every packet of a period, recording progress.
func (s *Server) buildPackets(ctx context.Context, p *survey.Period, lang, actor string, job *buildJob) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	finish := func(err error) {
		s.insp.mu.Lock()
		defer s.insp.mu.Unlock()
		job.Running = false
		if err != nil {
			job.Err = "insp.packets.failed"
			s.log.Error("packet build", "period", p.Code, "err", err)
		}
	}
	src, err := s.packetSource(ctx, p.Code)
	if err != nil {
		finish(err)
		return
	}
	s.insp.mu.Lock()
	job.Total = len(src.Units())
	s.insp.mu.Unlock()
	err = src.BuildEach(ctx, lang, nil, func(unit string, zip []byte) error {
		_, err := s.store.SavePacketBuild(ctx, p.ID, unit, lang, zip, actor)
		return err
	}, func(_ string, done, _ int) {
		s.insp.mu.Lock()
		job.Done = done
		s.insp.mu.Unlock()
	})
	finish(err)
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
