package server

import (
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// maxBody bounds request bodies; uploads raise it per route.
const maxBody = 1 << 20

// securityHeaders sets the headers every response carries: no inline script,
// no framing, and no referrer, so that a token in a URL never leaks.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Next()
}

// limitBody caps the request body at n bytes.
func limitBody(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}

// validText refuses a staff form with a field holding invalid UTF-8 or a
// NUL byte (400): no person types them, SQLite's length() stops at NUL so
// the schema's CHECKs would fail at write time (a 500), and invalid UTF-8
// would break the XML inside XLSX exports and packets. Uploaded files are
// not fields: their importers check them line by line. The respondent
// routes read their own bodies and word such problems per question.
func (s *Server) validText(c *gin.Context) {
	switch c.FullPath() {
	case "/s/:token", "/r/:period/:unit", "/api/v1/responses":
		c.Next()
		return
	}
	if c.Request.Method != http.MethodPost {
		c.Next()
		return
	}
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	var err error
	switch mt {
	case "application/x-www-form-urlencoded":
		err = c.Request.ParseForm()
	case "multipart/form-data":
		err = c.Request.ParseMultipartForm(maxUpload)
	default:
		c.Next()
		return
	}
	if err != nil {
		s.fail(c, formErr(err))
		return
	}
	fields := c.Request.PostForm
	if mf := c.Request.MultipartForm; mf != nil {
		fields = mf.Value
	}
	for _, vs := range fields {
		for _, v := range vs {
			if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
				s.fail(c, errInvalidText)
				return
			}
		}
	}
	c.Next()
}

// logRequests writes one structured line per request. It logs the route
// pattern, never the raw path: paths can hold invitation tokens.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	s.log.Info("request", "method", c.Request.Method, "route", route, "status", c.Writer.Status(),
		"ms", float64(time.Since(start).Microseconds())/1000, "bytes", c.Writer.Size())
}

// recoverPanics turns a panic into a 500 and one log line with the stack.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "route", c.FullPath(), "panic", v, "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				s.fail(c, errInternal)
			}
			c.Abort()
		}
	}()
	c.Next()
}

// setLang remembers an explicit ?lang= choice in a cookie.
func (s *Server) setLang(c *gin.Context) {
	if l := c.Query("lang"); l == "id" || l == "en" {
		http.SetCookie(c.Writer, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.cfg.CookieSecure, SameSite: http.SameSiteLaxMode})
	}
	c.Next()
}

// tr is the request's translator.
func (s *Server) tr(c *gin.Context) translator {
	cookie, _ := c.Cookie("lang")
	return s.bundle.For(pickLang(c.Query("lang"), cookie, c.GetHeader("Accept-Language")))
}
