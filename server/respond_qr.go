package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"
)

// qrSize is the QR code's width and height in pixels: sharp when printed at
// 5–8 cm for a service counter.
const qrSize = 512

// openQR draws the unit's open link as a QR code PNG. It works before the
// period opens, so posters can be printed in advance.
func (s *Server) openQR(c *gin.Context) {
	e, u, err := s.openLink(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	png, err := s.qrPNG(s.publicLink(c, e.p.Code, u.Code))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "image/png", png)
}

// openLinkURL is the public address of a unit's open link.
func (s *Server) openLinkURL(c *gin.Context, period, unit string) string {
	base := strings.TrimRight(s.cfg.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if c.Request.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + c.Request.Host
	}
	return base + "/r/" + url.PathEscape(period) + "/" + url.PathEscape(unit)
}

// qrPNG draws a link's QR code once and keeps it: drawing costs a few
// milliseconds, and the route is public. The cache holds one entry per
// period and unit (bounded anyway).
func (s *Server) qrPNG(link string) ([]byte, error) {
	r := s.resp
	r.mu.Lock()
	png, ok := r.qr[link]
	r.mu.Unlock()
	if ok {
		return png, nil
	}
	png, err := qrcode.Encode(link, qrcode.Medium, qrSize)
	if err != nil {
		return nil, fmt.Errorf("server: QR code: %w", err)
	}
	r.mu.Lock()
	if len(r.qr) >= 4096 {
		clear(r.qr)
	}
	r.qr[link] = png
	r.mu.Unlock()
	return png, nil
}
