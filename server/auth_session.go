package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// How a request was authenticated (User.Via).
const (
	viaSession = "session"
	viaToken   = "token"
)

// sessionCookie is the cookie's name: with Secure on, the __Host- prefix
// makes browsers refuse it unless it is Secure, host-only and Path=/.
func (s *Server) sessionCookie() string {
	if s.cfg.CookieSecure {
		return "__Host-integritas_session"
	}
	return "integritas_session"
}

// setSessionCookie sends the session token; it lives as long as the
// browser session, and the server ends it earlier on idle or absolute expiry.
func (s *Server) setSessionCookie(c *gin.Context, token string) {
	http.SetCookie(c.Writer, &http.Cookie{Name: s.sessionCookie(), Value: token, Path: "/",
		HttpOnly: true, Secure: s.cfg.CookieSecure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: s.sessionCookie(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.CookieSecure, SameSite: http.SameSiteLaxMode})
}

// bearerToken returns the token of an "Authorization: Bearer …" header.
func bearerToken(c *gin.Context) (string, bool) {
	h := c.GetHeader("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// authenticate loads the signed-in user, if any, for every request. A bearer
// token counts on /api and /metrics only; a wrong one is a 401 there, never
// a silent fall-back to the cookie. A dead session cookie is cleared.
func (s *Server) authenticate(c *gin.Context) {
	if s.scrapeToken(c) {
		c.Next()
		return
	}
	if tok, ok := bearerToken(c); ok && (isAPI(c) || c.FullPath() == "/metrics") {
		u, err := s.store.TokenUser(c.Request.Context(), tok, s.now())
		if errors.Is(err, survey.ErrNotFound) {
			c.Header("WWW-Authenticate", `Bearer realm="integritas", error="invalid_token"`)
			s.fail(c, errUnauthorized)
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Set(userKey, toUser(u, viaToken))
		c.Next()
		return
	}
	tok, err := c.Cookie(s.sessionCookie())
	if err != nil || tok == "" {
		c.Next()
		return
	}
	u, err := s.store.SessionUser(c.Request.Context(), tok, s.now(), s.cfg.SessionIdle)
	switch {
	case errors.Is(err, survey.ErrNotFound):
		s.clearSessionCookie(c)
	case err != nil:
		s.fail(c, err)
		return
	default:
		c.Set(userKey, toUser(u, viaSession))
		c.Set(sessionKey, tok)
	}
	c.Next()
}

const sessionKey = "integritas.session"

func toUser(u *survey.User, via string) *User {
	return &User{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Units: u.Units, Via: via}
}
