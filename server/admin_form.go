package server

import (
	"errors"
	"strconv"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// formPage is what the admin pages share: a notice after a successful
// change (a message id picked from a fixed list, never from the URL as is),
// an error message id, and problem lines (file:line: column: message).
type formPage struct {
	Notice   string
	Error    string
	Problems []string
}

// notice maps the ?done= word of a redirect to its message id.
func notice(c *gin.Context, prefix string, words ...string) string {
	done := c.Query("done")
	for _, w := range words {
		if w == done {
			return prefix + w
		}
	}
	return ""
}

// accountMessage is the message id for a refused account change.
func accountMessage(err error) string {
	var ae *survey.AccountError
	switch {
	case errors.As(err, &ae):
		return "admin.account." + ae.Field + "." + ae.Code
	case errors.Is(err, survey.ErrConflict):
		return "admin.account.email.taken"
	}
	return "error.bad_request.body"
}

// problemLines turns an import's or instrument's problems into lines, an
// import's in the reader's language.
func problemLines(tr translator, err error) []string {
	var ie *survey.ImportError
	var inst *survey.InstrumentError
	switch {
	case errors.As(err, &ie):
		return ie.Lines(tr)
	case errors.As(err, &inst):
		return inst.Problems
	}
	return nil
}

// idParam parses a numeric route parameter; a bad one answers 404.
func (s *Server) idParam(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		s.fail(c, errNotFound)
		return 0, false
	}
	return id, true
}
