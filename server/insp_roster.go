package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// rosterPage summarises a period's rosters and lists the rows the import
// warned about (staff outside the internal frame, spi-method §1).
type rosterPage struct {
	inspPage
	Summary  []rosterCount
	Warned   []warnedRow
	Warnings []string // of the import just made, in the reader's language
}

// warnedRow is a roster row outside the frame with its note in the
// reader's language.
type warnedRow struct {
	survey.RosterEntry
	Note string
}

type rosterCount struct {
	Unit, Type   string
	Rows, Warned int
}

func (s *Server) inspRoster(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.renderRoster(c, http.StatusOK, p, formPage{Notice: notice(c, "insp.roster.done.", "imported")}, nil)
}

func (s *Server) renderRoster(c *gin.Context, status int, p *survey.Period, f formPage, warnings []survey.RowError) {
	rows, err := s.store.Roster(c.Request.Context(), p.ID, 0, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	tr := s.tr(c)
	pg := rosterPage{inspPage: s.inspBase(p, "roster", f)}
	for _, w := range warnings {
		pg.Warnings = append(pg.Warnings, w.Text(tr))
	}
	idx := map[string]int{}
	for _, r := range rows {
		k := r.UnitCode + "/" + r.Type
		i, ok := idx[k]
		if !ok {
			i = len(pg.Summary)
			idx[k] = i
			pg.Summary = append(pg.Summary, rosterCount{Unit: r.UnitCode, Type: r.Type})
		}
		pg.Summary[i].Rows++
		if r.Warning != "" {
			pg.Summary[i].Warned++
			if len(pg.Warned) < 500 {
				pg.Warned = append(pg.Warned, warnedRow{RosterEntry: r, Note: survey.FrameNote(r.Warning).Text(tr)})
			}
		}
	}
	s.render(c, status, "insp_roster", pg)
}

// inspRosterImport replaces the rosters of the (unit, type) pairs in an
// uploaded CSV, all rows or none, and shows the frame warnings.
func (s *Server) inspRosterImport(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok || !s.parseUpload(c) {
		return
	}
	refuse := func(status int, msg string, problems []string) {
		s.renderRoster(c, status, p, formPage{Error: msg, Problems: problems}, nil)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		refuse(http.StatusBadRequest, "insp.roster.file.missing", nil)
		return
	}
	f, err := fh.Open()
	if err != nil {
		refuse(http.StatusBadRequest, "insp.upload.unreadable", nil)
		return
	}
	defer f.Close()
	n, warnings, err := s.store.ImportRosterCSV(c.Request.Context(), p, fh.Filename, f)
	var ie *survey.ImportError
	switch {
	case errors.As(err, &ie):
		refuse(http.StatusBadRequest, "insp.roster.invalid", problemLines(s.tr(c), err))
		return
	case errors.Is(err, survey.ErrClosed):
		refuse(http.StatusConflict, "insp.period_closed", nil)
		return
	case errors.Is(err, survey.ErrNotFound):
		refuse(http.StatusBadRequest, "insp.roster.invalid", []string{err.Error()})
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	s.audit(c, "import.roster", "period:"+p.Code, strconv.Itoa(n)+" rows, "+strconv.Itoa(len(warnings))+" warnings, from "+clipText(fh.Filename, 100))
	s.renderRoster(c, http.StatusOK, p, formPage{Notice: "insp.roster.done.imported"}, warnings)
}
