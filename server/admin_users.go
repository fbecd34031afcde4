package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// usersPage lists accounts and holds the form to add one.
type usersPage struct {
	formPage
	Users []*survey.User
	Units []survey.UnitRef
	Roles []string
	Form  userForm
}

// userForm is an account form as typed, to show again after a refusal.
type userForm struct {
	Email string
	Name  string
	Role  string
	Units []string
}

// HasUnit reports whether the form has the unit ticked.
func (f userForm) HasUnit(code string) bool {
	for _, u := range f.Units {
		if u == code {
			return true
		}
	}
	return false
}

func readUserForm(c *gin.Context) userForm {
	return userForm{Email: strings.TrimSpace(c.PostForm("email")), Name: strings.TrimSpace(c.PostForm("name")),
		Role: c.PostForm("role"), Units: c.PostFormArray("units")}
}

// adminUsers shows every account and the add form.
func (s *Server) adminUsers(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, usersPage{Form: userForm{Role: roleViewer},
		formPage: formPage{Notice: notice(c, "admin.users.done.", "created")}})
}

func (s *Server) renderUsers(c *gin.Context, status int, p usersPage) {
	var err error
	if p.Users, err = s.store.Users(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	if p.Units, err = s.store.AllUnits(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	p.Roles = survey.Roles
	s.render(c, status, "admin_users", p)
}

// adminUserCreate adds an account from the form.
func (s *Server) adminUserCreate(c *gin.Context) {
	f := readUserForm(c)
	u, err := s.store.CreateUser(c.Request.Context(), survey.NewUser{Email: f.Email, Name: f.Name, Role: f.Role,
		Password: c.PostForm("password"), Units: f.Units})
	var ae *survey.AccountError
	switch {
	case errors.As(err, &ae), errors.Is(err, survey.ErrConflict):
		status := http.StatusBadRequest
		if errors.Is(err, survey.ErrConflict) {
			status = http.StatusConflict
		}
		s.renderUsers(c, status, usersPage{Form: f, formPage: formPage{Error: accountMessage(err)}})
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	s.audit(c, "user.create", "user:"+u.Email, describeAccess(u.Role, u.Units))
	c.Redirect(http.StatusSeeOther, "/admin/users?done=created")
}

// describeAccess is an audit detail such as "role=viewer units=DINKES,PKM1".
func describeAccess(role string, units []string) string {
	d := "role=" + role
	if len(units) > 0 {
		d += " units=" + strings.Join(units, ",")
	}
	return d
}
