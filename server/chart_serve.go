package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/charts"
	"integritas/results"
	"integritas/survey"
)

// chartBuild draws one chart from the request's results.
type chartBuild func(c *gin.Context, r *results.Period, f dashFilter, tr translator) (*charts.Chart, error)

// Chart formats, from the route's extension.
const (
	chartPNG = "png"
	chartSVG = "svg"
)

// chart serves a chart at a stable URL. Its ETag is a hash of the data
// version (of every period, for trends), the route, the unit, the filters
// and the language, so an unchanged chart costs a 304 and no drawing;
// Cache-Control keeps it out of shared caches and revalidates every use.
func (s *Server) chart(build chartBuild, format string, allPeriods bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, err := parseFilter(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		p, err := s.store.Period(c.Request.Context(), c.Param("period"))
		if err != nil {
			s.fail(c, err)
			return
		}
		version, err := s.chartVersion(c, p, allPeriods)
		if err != nil {
			s.fail(c, err)
			return
		}
		tr := s.tr(c)
		sum := sha256.Sum256([]byte(strings.Join([]string{c.FullPath(), c.Param("unit"), tr.Lang(), f.keep(), version}, "\x00")))
		etag := `"` + hex.EncodeToString(sum[:12]) + `"`
		h := c.Writer.Header()
		h.Set("ETag", etag)
		h.Set("Cache-Control", "private, no-cache")
		h.Set("Vary", "Cookie, Accept-Language")
		if etagMatch(c.GetHeader("If-None-Match"), etag) {
			c.Status(http.StatusNotModified)
			return
		}
		body, err := s.charts.get(etag+format, func() ([]byte, error) {
			r, err := s.results.Get(c.Request.Context(), p.Code, f.options())
			if err != nil {
				return nil, err
			}
			ch, err := build(c, r, f, tr)
			if err != nil {
				if c.IsAborted() {
					return nil, err
				}
				// A period or unit without the figures a chart needs has no chart.
				s.log.Warn("chart", "route", c.FullPath(), "err", err)
				return nil, fmt.Errorf("server: chart: %v: %w", err, errNotFound)
			}
			var buf bytes.Buffer
			if format == chartSVG {
				err = ch.SVG(&buf)
			} else {
				err = ch.PNG(&buf)
			}
			return buf.Bytes(), err
		})
		if err != nil {
			if !c.IsAborted() {
				s.fail(c, err)
			}
			return
		}
		ctype := "image/png"
		if format == chartSVG {
			ctype = "image/svg+xml"
		}
		c.Data(http.StatusOK, ctype, body)
	}
}

// chartVersion is the data version behind a chart.
func (s *Server) chartVersion(c *gin.Context, p *survey.Period, allPeriods bool) (string, error) {
	if !allPeriods {
		return s.store.DataVersion(c.Request.Context(), p.ID)
	}
	ps, err := s.store.Periods(c.Request.Context())
	if err != nil {
		return "", err
	}
	var parts []string
	for _, q := range ps {
		v, err := s.store.DataVersion(c.Request.Context(), q.ID)
		if err != nil {
			return "", err
		}
		parts = append(parts, q.Code+"="+v)
	}
	return strings.Join(parts, ";"), nil
}

// etagMatch reports whether an If-None-Match header names the tag.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
