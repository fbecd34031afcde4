package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// mcpPage lists the stored MCP and PMPRB scores and takes a new file. The
// scores belong to years, not to the period the page sits under.
type mcpPage struct {
	inspPage
	MCP   []survey.MCPScore
	PMPRB []survey.PMPRBScore
}

func (s *Server) inspMCP(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	f := formPage{}
	if c.Query("done") == "imported" {
		f.Notice = "mcp.import.done"
	}
	s.renderMCP(c, http.StatusOK, p, f)
}

func (s *Server) renderMCP(c *gin.Context, status int, p *survey.Period, f formPage) {
	pg := mcpPage{inspPage: s.inspBase(p, "mcp", f)}
	var err error
	if pg.MCP, err = s.store.MCPScores(c.Request.Context()); err == nil {
		pg.PMPRB, err = s.store.PMPRBScores(c.Request.Context())
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "insp_mcp", pg)
}

// inspMCPImport stores an uploaded MCP or PMPRB file, all rows or none.
func (s *Server) inspMCPImport(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok || !s.parseUpload(c) {
		return
	}
	kind := c.PostForm("kind")
	fh, err := c.FormFile("file")
	if err != nil || (kind != "mcp" && kind != "pmprb") {
		s.renderMCP(c, http.StatusBadRequest, p, formPage{Error: "mcp.import.missing"})
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.renderMCP(c, http.StatusBadRequest, p, formPage{Error: "insp.upload.unreadable"})
		return
	}
	defer f.Close()
	var n int
	if kind == "mcp" {
		n, err = s.store.ImportMCPCSV(c.Request.Context(), fh.Filename, f)
	} else {
		n, err = s.store.ImportPMPRBCSV(c.Request.Context(), fh.Filename, f)
	}
	var ie *survey.ImportError
	switch {
	case errors.As(err, &ie):
		s.renderMCP(c, http.StatusBadRequest, p, formPage{Error: "mcp.import.invalid", Problems: problemLines(s.tr(c), err)})
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	if err := s.audit(c, "import."+kind, kind, strconv.Itoa(n)+" scores from "+clipText(fh.Filename, 100)); err != nil {
		s.fail(c, err)
		return
	}
	redirectDone(c, inspURL(p, "mcp"), "imported")
}
