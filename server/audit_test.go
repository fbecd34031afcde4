package server

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
)

func TestAuditPage(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for i := range 60 {
		must(t, e.store.Audit(ctx, "system", "test.bulk", fmt.Sprintf("row:%d", i), ""))
	}
	must(t, e.store.Audit(ctx, "system", "test.markup", "<b>bold</b>", ""))
	admin := e.loginAs("admin")
	e.run([]scenario{
		{name: "first page", path: "/admin/audit", header: admin, wantStatus: 200,
			want: []string{"Log audit", "62 catatan · halaman 1 dari 2", "auth.login", `rel="next"`, "&lt;b&gt;bold&lt;/b&gt;"}, notWant: []string{"<b>bold</b>", `rel="prev"`}},
		{name: "second page", path: "/admin/audit?page=2", header: admin, wantStatus: 200, want: []string{"halaman 2 dari 2", `rel="prev"`, "row:0<"}},
		{name: "filter by action", path: "/admin/audit?action=auth.login", header: admin, wantStatus: 200,
			want: []string{"1 catatan", "admin@example.go.id"}, notWant: []string{"row:1<"}},
		{name: "filter by prefix", path: "/admin/audit?action=test.", header: admin, wantStatus: 200, want: []string{"61 catatan"}},
		{name: "export link keeps the filter", path: "/admin/audit?action=test.markup", header: admin, wantStatus: 200, want: []string{`href="/admin/audit.csv?action=test.markup"`}},
		{name: "bad page", path: "/admin/audit?page=0", header: admin, wantStatus: 400},
		{name: "in English", path: "/admin/audit?lang=en", header: admin, wantStatus: 200, want: []string{"Audit log", "62 entries · page 1 of 2"}},
	})
}

func TestAuditExport(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	// Values a spreadsheet would run as formulas, in every text column.
	must(t, e.store.Audit(ctx, "=cmd|' /C calc'!A0", "test.formula", "+1+1", "-2"))
	must(t, e.store.Audit(ctx, "@SUM(A1)", "test.formula", "\tTAB", "\rCR"))
	must(t, e.store.Audit(ctx, "plain", "test.formula", "a=b", "ok"))
	admin := e.loginAs("admin")
	resp, body := e.send("GET", "/admin/audit.csv?action=test.formula", "", admin)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), `attachment; filename="audit-`) {
		t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	must(t, err)
	want := [][]string{
		{"id", "at", "actor", "action", "target", "detail"},
		{"plain", "test.formula", "a=b", "ok"},
		{"'@SUM(A1)", "test.formula", "'\tTAB", "'\rCR"},
		{"'=cmd|' /C calc'!A0", "test.formula", "'+1+1", "'-2"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %q", len(rows), len(want), rows)
	}
	if strings.Join(rows[0], ",") != strings.Join(want[0], ",") {
		t.Errorf("header %q", rows[0])
	}
	for i := 1; i < len(want); i++ {
		if got := rows[i][2:]; strings.Join(got, "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i, got, want[i])
		}
		if rows[i][1] != "2026-06-15T09:30:00Z" {
			t.Errorf("row %d time %q", i, rows[i][1])
		}
	}
	wantAudit(t, e, []string{"audit.export audit_log action=test.formula"}, "admin@example.go.id")
}

// TestAuditRecordsLogins covers the login cases of the audit log: success,
// each failure with its reason, logout, and never a password.
func TestAuditRecordsLogins(t *testing.T) {
	e := newTestEnv(t)
	u := e.accountFor("analyst")
	h := e.loginAs("analyst")
	e.send("POST", "/login", form("email", u.Email, "password", "wrong-password-1"), nil)
	e.send("POST", "/login", form("email", "nobody@example.go.id", "password", "wrong-password-2"), nil)
	e.send("POST", "/login", form("email", "my-secret-password-typed-here", "password", "x-y-z-w-v-u"), nil)
	e.send("POST", "/logout", "", h)
	wantAudit(t, e, []string{"auth.login user:analyst@example.go.id ip=127.0.0.1", "auth.logout user:analyst@example.go.id"}, u.Email)
	wantAudit(t, e, []string{"auth.login_failed ip=127.0.0.1 reason=wrong_password"}, u.Email)
	wantAudit(t, e, []string{"auth.login_failed ip=127.0.0.1 reason=unknown_email"}, "nobody@example.go.id")
	wantAudit(t, e, []string{"auth.login_failed ip=127.0.0.1 reason=unknown_email"}, "(invalid)")
	es, _ := e.store.AuditLog(context.Background(), "", 0)
	for _, a := range es {
		line := a.Actor + a.Action + a.Target + a.Detail
		for _, secret := range []string{testPassword, "wrong-password", "my-secret-password", "x-y-z-w-v-u"} {
			if strings.Contains(line, secret) {
				t.Errorf("audit entry %+v holds a password", a)
			}
		}
	}
}
