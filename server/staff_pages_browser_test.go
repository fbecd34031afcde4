package server

import (
	"strconv"
	"testing"
)

// TestStaffPagesInBrowser: an admin (who may do everything) opens every
// page of the staff side — administration, the inspectorate's cycle with
// each section, the dashboard's remaining pages — and the public pages a
// respondent meets without a link; axe-core (watchAxe) finds no WCAG 2.1 AA
// violation on any of them.
func TestStaffPagesInBrowser(t *testing.T) {
	requireBrowser(t)
	e, _ := dashEnv(t)
	seedMCP(t, e)
	ctx := newBrowser(t)
	admin := e.accountFor("admin")
	browserLogin(t, ctx, e, admin.Email, "/admin/periods?lang=id", `main`)
	pages := []string{"/", "/admin/periods/SPI-T/units", "/admin/periods/SPI-T/units/DINKES", "/admin/periods/SPI-T/close",
		"/admin/users", "/admin/users/" + strconv.FormatInt(admin.ID, 10), "/admin/settings", "/admin/outbox", "/admin/audit",
		"/inspectorate", "/inspectorate/SPI-T"}
	for _, s := range inspSections {
		pages = append(pages, "/inspectorate/SPI-T/"+s)
	}
	pages = append(pages, "/inspectorate/SPI-T/preview/internal", "/inspectorate/SPI-T/preview/external",
		"/dash/SPI-T/units/DINKES/mcp", "/dash/SPI-T/heatmap?type=internal", "/dash/SPI-T/elements/pbj", "/no-such-page", "/r/SPI-T/DINKES", "/thanks")
	for _, p := range pages {
		visit(t, ctx, e.http.URL+p, `body`)
	}
}
