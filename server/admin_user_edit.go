package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// userPage edits one account.
type userPage struct {
	formPage
	Account *survey.User
	Units   []survey.UnitRef
	Roles   []string
	Form    userForm
	Self    bool // the admin is editing their own account
}

// loadAccount reads the :id account, answering 404 when there is none.
func (s *Server) loadAccount(c *gin.Context) (*survey.User, bool) {
	id, ok := s.idParam(c, "id")
	if !ok {
		return nil, false
	}
	u, err := s.store.UserByID(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return u, true
}

func (s *Server) renderUser(c *gin.Context, status int, p userPage) {
	var err error
	if p.Units, err = s.store.AllUnits(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	p.Roles = survey.Roles
	p.Self = p.Account.ID == currentUser(c).ID
	if p.Form.Role == "" {
		p.Form = userForm{Email: p.Account.Email, Name: p.Account.Name, Role: p.Account.Role, Units: p.Account.Units}
	}
	s.render(c, status, "admin_user", p)
}

// adminUser shows the edit form of one account.
func (s *Server) adminUser(c *gin.Context) {
	u, ok := s.loadAccount(c)
	if !ok {
		return
	}
	s.renderUser(c, http.StatusOK, userPage{Account: u,
		formPage: formPage{Notice: notice(c, "admin.user.done.", "updated", "password", "disabled", "enabled")}})
}

// adminUserUpdate changes name, role and unit scope. An admin cannot take
// the admin role from themselves, so the site always keeps one.
func (s *Server) adminUserUpdate(c *gin.Context) {
	u, ok := s.loadAccount(c)
	if !ok {
		return
	}
	f := readUserForm(c)
	if u.ID == currentUser(c).ID && f.Role != roleAdmin {
		s.renderUser(c, http.StatusConflict, userPage{Account: u, Form: f, formPage: formPage{Error: "admin.user.self"}})
		return
	}
	err := s.store.UpdateUser(c.Request.Context(), u.ID, survey.UserChange{Name: f.Name, Role: f.Role, Units: f.Units})
	var ae *survey.AccountError
	if errors.As(err, &ae) {
		s.renderUser(c, http.StatusBadRequest, userPage{Account: u, Form: f, formPage: formPage{Error: accountMessage(err)}})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if f.Role != roleViewer {
		f.Units = nil
	}
	s.audit(c, "user.update", "user:"+u.Email, describeAccess(f.Role, f.Units))
	s.redirectUser(c, u, "updated")
}

// adminUserPassword sets a new password typed by the admin; the account's
// sessions end and any lockout is lifted.
func (s *Server) adminUserPassword(c *gin.Context) {
	u, ok := s.loadAccount(c)
	if !ok {
		return
	}
	err := s.store.SetPassword(c.Request.Context(), u.ID, c.PostForm("password"))
	var ae *survey.AccountError
	if errors.As(err, &ae) {
		s.renderUser(c, http.StatusBadRequest, userPage{Account: u, formPage: formPage{Error: accountMessage(err)}})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "user.password_reset", "user:"+u.Email, "")
	s.redirectUser(c, u, "password")
}

// adminUserDisable ends an account's sessions and refuses its logins and
// tokens; an admin cannot disable themselves.
func (s *Server) adminUserDisable(c *gin.Context) { s.setDisabled(c, true) }

// adminUserEnable lets a disabled account sign in again.
func (s *Server) adminUserEnable(c *gin.Context) { s.setDisabled(c, false) }

func (s *Server) setDisabled(c *gin.Context, disabled bool) {
	u, ok := s.loadAccount(c)
	if !ok {
		return
	}
	if disabled && u.ID == currentUser(c).ID {
		s.renderUser(c, http.StatusConflict, userPage{Account: u, formPage: formPage{Error: "admin.user.self"}})
		return
	}
	if err := s.store.SetUserDisabled(c.Request.Context(), u.ID, disabled); err != nil {
		s.fail(c, err)
		return
	}
	action, word := "user.enable", "enabled"
	if disabled {
		action, word = "user.disable", "disabled"
	}
	s.audit(c, action, "user:"+u.Email, "")
	s.redirectUser(c, u, word)
}

func (s *Server) redirectUser(c *gin.Context, u *survey.User, done string) {
	c.Redirect(http.StatusSeeOther, "/admin/users/"+strconv.FormatInt(u.ID, 10)+"?done="+done)
}
