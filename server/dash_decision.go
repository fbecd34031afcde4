package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// maxNoteLen bounds an analyst's note on a decision, in characters.
const maxNoteLen = 500

// dashDecision records an analyst's choice to include or exclude a flagged
// response (or to return it to the period's default), and audits it. The
// results recompute on the next request: the decision changes the data version.
func (s *Server) dashDecision(c *gin.Context) {
	p, err := s.store.Period(c.Request.Context(), c.Param("period"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if p.Status == survey.StatusClosed {
		s.fail(c, fmt.Errorf("server: decisions of closed period %s: %w", p.Code, survey.ErrClosed))
		return
	}
	id, err := strconv.ParseInt(c.Param("response"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(c, badParam("response"))
		return
	}
	note := strings.TrimSpace(c.PostForm("note"))
	if !utf8.ValidString(note) || utf8.RuneCountInString(note) > maxNoteLen {
		s.fail(c, badParam("note"))
		return
	}
	choice := c.PostForm("decision")
	switch choice {
	case "include", "exclude":
		err = s.store.SetDecision(c.Request.Context(), p.ID, survey.Decision{ResponseID: id, Include: choice == "include", Note: note, DecidedBy: currentUser(c).Email})
	case "clear":
		err = s.store.ClearDecision(c.Request.Context(), p.ID, id)
	default:
		err = badParam("decision")
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.audit(c, "quality.decision", "period:"+p.Code+"/response:"+strconv.FormatInt(id, 10), choice); err != nil {
		s.fail(c, err)
		return
	}
	back := "/dash/" + url.PathEscape(p.Code) + "/quality"
	if pg, err := strconv.Atoi(c.PostForm("page")); err == nil && pg > 1 {
		back += "?page=" + strconv.Itoa(pg)
	}
	c.Redirect(http.StatusSeeOther, back)
}
