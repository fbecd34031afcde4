package server

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/poster"
	"integritas/survey"
)

// openLinksPage lists every unit's open link with its QR code and poster.
type openLinksPage struct {
	inspPage
	Units  []openLinkRow
	Spikes []string // open-link spike alerts (open_report.go)
}

type openLinkRow struct {
	Code, Name, URL string
}

// publicLink is a unit's open link from the organisation's base URL, the
// same address the QR code and posters carry.
func (s *Server) publicLink(c *gin.Context, period, unit string) string {
	base := s.org(c.Request.Context()).BaseURL
	if base == "" {
		return s.openLinkURL(c, period, unit)
	}
	return strings.TrimRight(base, "/") + "/r/" + url.PathEscape(period) + "/" + url.PathEscape(unit)
}

func (s *Server) inspOpenLinks(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	units, err := s.store.Units(c.Request.Context(), p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := openLinksPage{inspPage: s.inspBase(p, "openlinks", formPage{}), Spikes: s.spikeAlerts(c, p)}
	for _, u := range units {
		d.Units = append(d.Units, openLinkRow{Code: u.Code, Name: u.Name, URL: s.publicLink(c, p.Code, u.Code)})
	}
	s.render(c, http.StatusOK, "insp_openlinks", d)
}

// inspPoster draws one unit's A4 poster, or every unit's (unit "all") in
// one PDF.
func (s *Server) inspPoster(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	code := strings.TrimSuffix(c.Param("file"), ".pdf")
	if !strings.HasSuffix(c.Param("file"), ".pdf") {
		s.fail(c, errNotFound)
		return
	}
	units, err := s.store.Units(c.Request.Context(), p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	var pick []survey.Unit
	for _, u := range units {
		if code == "all" || u.Code == code {
			pick = append(pick, u)
		}
	}
	if len(pick) == 0 {
		s.fail(c, errNotFound)
		return
	}
	tr := s.bundle.For("id") // posters face the public in Indonesian
	org := s.org(c.Request.Context())
	var ps []poster.Poster
	for _, u := range pick {
		link := s.publicLink(c, p.Code, u.Code)
		qr, err := s.qrPNG(link)
		if err != nil {
			s.fail(c, err)
			return
		}
		lines := []string{tr.T("cycle.poster.line1", "Unit", u.Name), tr.T("cycle.poster.line2"), tr.T("cycle.poster.line3")}
		if p.ClosesOn != "" {
			lines = append(lines, tr.T("cycle.poster.closes", "Date", p.ClosesOn))
		}
		ps = append(ps, poster.Poster{Heading: tr.T("cycle.poster.heading", "Period", p.Name), Unit: u.Name, Lines: lines,
			ScanHint: tr.T("cycle.poster.scan"), URL: link, QR: qr, Inspectorate: org.Inspectorate})
	}
	var buf bytes.Buffer
	if err := poster.Write(&buf, ps); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `inline; filename="poster-`+p.Code+"-"+code+`.pdf"`)
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
}
