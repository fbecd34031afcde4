package server

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/export"

	"integritas/survey"
)

const auditPageSize = 50

// auditPage is one page of the audit log with its filter.
type auditPage struct {
	Entries  []survey.AuditEntry
	Actions  []string
	Action   string
	Page     int
	Pages    int
	Total    int
	PrevURL  string
	NextURL  string
	ExportTo string
}

// auditLog shows the audit log, newest first, filtered by action (an exact
// action or a prefix ending in "."), 50 entries a page.
func (s *Server) auditLog(c *gin.Context) {
	action := strings.TrimSpace(c.Query("action"))
	page, err := strconv.Atoi(c.DefaultQuery("page", "1"))
	if err != nil || page < 1 || page > 1_000_000 {
		s.fail(c, errBadRequest)
		return
	}
	entries, total, err := s.store.AuditPage(c.Request.Context(), survey.AuditQuery{Action: action, Offset: (page - 1) * auditPageSize, Limit: auditPageSize})
	if err != nil {
		s.fail(c, err)
		return
	}
	actions, err := s.store.AuditActions(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	p := auditPage{Entries: entries, Actions: actions, Action: action, Page: page, Total: total,
		Pages: max(1, (total+auditPageSize-1)/auditPageSize)}
	link := func(n int) string {
		q := url.Values{"page": {strconv.Itoa(n)}}
		if action != "" {
			q.Set("action", action)
		}
		return "/admin/audit?" + q.Encode()
	}
	if page > 1 {
		p.PrevURL = link(page - 1)
	}
	if page < p.Pages {
		p.NextURL = link(page + 1)
	}
	p.ExportTo = "/admin/audit.csv"
	if action != "" {
		p.ExportTo += "?" + url.Values{"action": {action}}.Encode()
	}
	s.render(c, http.StatusOK, "audit", p)
}

// auditExport downloads the (filtered) log as CSV. The export is itself
// recorded first; without that record there is no export.
func (s *Server) auditExport(c *gin.Context) {
	action := strings.TrimSpace(c.Query("action"))
	if err := s.audit(c, "audit.export", "audit_log", "action="+action); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="audit-`+s.now().UTC().Format("20060102-150405")+`.csv"`)
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	w.Write([]string{"id", "at", "actor", "action", "target", "detail"})
	err := s.store.EachAudit(c.Request.Context(), action, func(e survey.AuditEntry) error {
		return w.Write([]string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format("2006-01-02T15:04:05Z"),
			export.SafeCell(e.Actor), export.SafeCell(e.Action), export.SafeCell(e.Target), export.SafeCell(e.Detail)})
	})
	w.Flush()
	if err != nil {
		// Headers are gone; the truncated file is the best we can do.
		s.log.Error("audit export", "err", err)
	}
}
