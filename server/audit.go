package server

import (
	"net/mail"
	"strings"

	"github.com/gin-gonic/gin"
)

// audit appends to the audit log as the signed-in caller (or "anonymous").
// It must never be given answers, tokens or passwords. A failure is logged
// and returned: callers whose action must not happen unrecorded (exports,
// packet downloads) should refuse on error; others may ignore it.
func (s *Server) audit(c *gin.Context, action, target, detail string) error {
	actor := "anonymous"
	if u := currentUser(c); u != nil {
		actor = u.Email
	}
	return s.auditAs(c, actor, action, target, detail)
}

func (s *Server) auditAs(c *gin.Context, actor, action, target, detail string) error {
	err := s.store.Audit(c.Request.Context(), actor, action, target, detail)
	if err != nil {
		s.log.Error("audit", "action", action, "err", err)
	}
	return err
}

// loginActor is what a failed login is recorded under: the address typed
// when it looks like one, so that a password typed into the e-mail field
// by mistake never reaches the log.
func loginActor(email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		return "(invalid)"
	}
	return email
}
