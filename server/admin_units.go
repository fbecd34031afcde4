package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// unitsPage lists a period's units and holds the CSV import form.
type unitsPage struct {
	formPage
	Period *survey.Period
	Units  []survey.Unit
}

// adminUnits lists the units taking part in a period.
func (s *Server) adminUnits(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.renderUnits(c, http.StatusOK, unitsPage{Period: p, formPage: formPage{Notice: notice(c, "admin.units.done.", "imported", "updated")}})
}

func (s *Server) renderUnits(c *gin.Context, status int, p unitsPage) {
	var err error
	if p.Units, err = s.store.Units(c.Request.Context(), p.Period.ID); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "admin_units", p)
}

// adminUnitsImport creates or updates units from an uploaded CSV file, all
// rows or none; every problem is shown with its line and column.
func (s *Server) adminUnitsImport(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok || !s.parseUpload(c) {
		return
	}
	refuse := func(status int, msg string, problems []string) {
		s.renderUnits(c, status, unitsPage{Period: p, formPage: formPage{Error: msg, Problems: problems}})
	}
	fh, err := c.FormFile("file")
	if err != nil {
		refuse(http.StatusBadRequest, "admin.units.file.missing", nil)
		return
	}
	f, err := fh.Open()
	if err != nil {
		refuse(http.StatusBadRequest, "admin.upload.unreadable", nil)
		return
	}
	defer f.Close()
	n, err := s.store.ImportUnitsCSV(c.Request.Context(), p, fh.Filename, f)
	var ie *survey.ImportError
	switch {
	case errors.As(err, &ie):
		refuse(http.StatusBadRequest, "admin.units.import.invalid", problemLines(s.tr(c), err))
		return
	case errors.Is(err, survey.ErrClosed):
		refuse(http.StatusConflict, "admin.units.import.closed", nil)
		return
	case errors.Is(err, survey.ErrNotFound):
		// A parent code that is neither in the file nor stored.
		refuse(http.StatusBadRequest, "admin.units.import.invalid", []string{err.Error()})
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	s.audit(c, "import.units", "period:"+p.Code, strconv.Itoa(n)+" units from "+clipText(fh.Filename, 100))
	c.Redirect(http.StatusSeeOther, "/admin/periods/"+url.PathEscape(p.Code)+"/units?done=imported")
}

// clipText shortens s to at most n bytes on a rune boundary.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
