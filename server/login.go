package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// loginForm is the login page's data; Error is a message id.
type loginForm struct {
	Email string
	Next  string
	Error string
}

// loginNotice tells a person who just signed in how many attempts failed
// on their account since their previous sign-in.
type loginNotice struct {
	Count int
	Next  string
}

// loginPage shows the form, or sends a signed-in user on.
func (s *Server) loginPage(c *gin.Context) {
	next := safeNext(c.Query("next"))
	if currentUser(c) != nil {
		c.Redirect(http.StatusSeeOther, next)
		return
	}
	s.render(c, http.StatusOK, "login", loginForm{Next: next})
}

// login checks the form's e-mail and password. An unknown e-mail, a wrong
// password and a disabled account get the same answer after the same bcrypt
// work; repeated failures per e-mail and per address are throttled.
func (s *Server) login(c *gin.Context) {
	email := strings.TrimSpace(c.PostForm("email"))
	password := c.PostForm("password")
	form := loginForm{Email: email, Next: safeNext(c.PostForm("next"))}
	if email == "" || password == "" {
		form.Error = "auth.login.missing"
		s.render(c, http.StatusBadRequest, "login", form)
		return
	}
	ip, now := c.ClientIP(), s.now()
	if !s.limiter.allow(email, ip, now) {
		s.auditAs(c, loginActor(email), "auth.login_failed", "", "ip="+ip+" reason=throttled")
		s.metrics.loginFailures.Inc()
		form.Error = "auth.login.locked"
		s.render(c, http.StatusTooManyRequests, "login", form)
		return
	}
	u, res, err := s.store.AuthenticateFrom(c.Request.Context(), email, password, ip, now)
	switch {
	case errors.Is(err, survey.ErrLockedOut):
		s.auditAs(c, loginActor(email), "auth.login_failed", "", "ip="+ip+" reason="+string(res))
		s.metrics.loginFailures.Inc()
		form.Error = "auth.login.locked"
		s.render(c, http.StatusTooManyRequests, "login", form)
		return
	case errors.Is(err, survey.ErrBadCredentials):
		s.limiter.failed(email, ip, now)
		s.auditAs(c, loginActor(email), "auth.login_failed", "", "ip="+ip+" reason="+string(res))
		s.metrics.loginFailures.Inc()
		form.Error = "auth.login.failed"
		s.render(c, http.StatusUnauthorized, "login", form)
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	s.limiter.succeeded(email, ip)
	// A new session on every login: a token planted before it (fixation)
	// is ended, never promoted.
	if old, err := c.Cookie(s.sessionCookie()); err == nil && old != "" {
		s.store.DeleteSession(c.Request.Context(), old)
	}
	tok, err := s.store.CreateSession(c.Request.Context(), u.ID, now, s.cfg.SessionMax)
	if err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.store.PurgeSessions(c.Request.Context(), now, s.cfg.SessionIdle); err != nil {
		s.log.Warn("purge sessions", "err", err)
	}
	s.setSessionCookie(c, tok)
	s.auditAs(c, u.Email, "auth.login", "user:"+u.Email, "ip="+ip)
	if u.FailedLogins > 0 { // tell the person someone tried their account
		s.render(c, http.StatusOK, "login_notice", loginNotice{Count: u.FailedLogins, Next: form.Next})
		return
	}
	c.Redirect(http.StatusSeeOther, form.Next)
}

// logout ends the session on the server, not only in the browser.
func (s *Server) logout(c *gin.Context) {
	if tok, err := c.Cookie(s.sessionCookie()); err == nil && tok != "" {
		if err := s.store.DeleteSession(c.Request.Context(), tok); err != nil {
			s.fail(c, err)
			return
		}
		if u := currentUser(c); u != nil {
			s.audit(c, "auth.logout", "user:"+u.Email, "")
		}
	}
	s.clearSessionCookie(c)
	c.Redirect(http.StatusSeeOther, "/login")
}

// safeNext keeps a post-login destination only when it is a path on this
// site; anything else ("//evil", "https://…", "/\evil") becomes "/".
func safeNext(next string) string {
	if len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil {
		return "/"
	}
	if u.Path == "/login" || u.Path == "/logout" {
		return "/"
	}
	return next
}
