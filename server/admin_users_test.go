package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestAdminUsers(t *testing.T) {
	e := newTestEnv(t)
	admin := e.loginAs("admin")
	me := e.accountFor("admin")
	other := e.accountFor("analyst")
	otherSession := e.loginAs("analyst")
	mine := fmt.Sprintf("/admin/users/%d", me.ID)
	theirs := fmt.Sprintf("/admin/users/%d", other.ID)
	e.run([]scenario{
		{name: "list in Indonesian", path: "/admin/users", header: admin, wantStatus: 200,
			want: []string{"Pengguna", "admin@example.go.id", "analyst@example.go.id", "Pembaca unit", `value="DINKES"`}},
		{name: "list in English", path: "/admin/users?lang=en", header: admin, wantStatus: 200, want: []string{"Users", "Unit viewer"}},
		{name: "add a viewer of two units", method: "POST", path: "/admin/users", header: admin, wantStatus: 200,
			body: form("email", "Kadinkes@Example.go.id", "name", "Kepala Dinkes", "role", "viewer", "units", "DINKES", "units", "PKM1", "password", "rahasia-dinkes-1"),
			want: []string{"Pengguna ditambahkan.", "kadinkes@example.go.id", "DINKES, PKM1"}},
		{name: "same e-mail again", method: "POST", path: "/admin/users", header: admin, wantStatus: 409,
			body: form("email", "kadinkes@example.go.id", "role", "viewer", "password", "rahasia-dinkes-1"), want: []string{"sudah dipakai"}},
		{name: "bad e-mail", method: "POST", path: "/admin/users", header: admin, wantStatus: 400,
			body: form("email", "bukan email", "role", "viewer", "password", "rahasia-dinkes-1"), want: []string{"Alamat e-mail tidak valid.", `value="bukan email"`}},
		{name: "short password", method: "POST", path: "/admin/users", header: admin, wantStatus: 400,
			body: form("email", "x@example.go.id", "role", "analyst", "password", "pendek"), want: []string{"minimal 10 karakter"}, notWant: []string{"pendek"}},
		{name: "unknown role", method: "POST", path: "/admin/users", header: admin, wantStatus: 400,
			body: form("email", "x@example.go.id", "role", "superuser", "password", "rahasia-dinkes-1"), want: []string{"Pilih salah satu peran"}},
		{name: "units on an analyst", method: "POST", path: "/admin/users", header: admin, wantStatus: 400,
			body: form("email", "x@example.go.id", "role", "analyst", "units", "DINKES", "password", "rahasia-dinkes-1"), want: []string{"hanya berlaku untuk peran Pembaca unit"}},
		{name: "unknown unit", method: "POST", path: "/admin/users", header: admin, wantStatus: 400,
			body: form("email", "x@example.go.id", "role", "viewer", "units", "NOPE", "password", "rahasia-dinkes-1"), want: []string{"tidak ada"}},
		{name: "edit page", path: theirs, header: admin, wantStatus: 200, want: []string{"analyst@example.go.id", "Atur ulang kata sandi", "Nonaktifkan"}},
		{name: "own page offers no disable", path: mine, header: admin, wantStatus: 200, notWant: []string{"/disable"}},
		{name: "no such user", path: "/admin/users/999", header: admin, wantStatus: 404},
		{name: "not a number", path: "/admin/users/abc", header: admin, wantStatus: 404},
		{name: "cannot disable oneself", method: "POST", path: mine + "/disable", header: admin, wantStatus: 409, want: []string{"tidak dapat menonaktifkan akun sendiri"}},
		{name: "cannot demote oneself", method: "POST", path: mine, body: form("role", "analyst"), header: admin, wantStatus: 409},
		{name: "make the analyst a viewer of DISDIK", method: "POST", path: theirs, body: form("name", "Ana", "role", "viewer", "units", "DISDIK"), header: admin, wantStatus: 200,
			want: []string{"Perubahan disimpan.", `value="DISDIK" checked`}},
		{name: "the change applies to the open session at once", path: "/api/v1/me", header: otherSession, wantStatus: 200, want: []string{`"role":"viewer"`, `"units":["DISDIK"]`}},
		{name: "short new password", method: "POST", path: theirs + "/password", body: form("password", "pendek"), header: admin, wantStatus: 400},
		{name: "new password", method: "POST", path: theirs + "/password", body: form("password", "kata-sandi-baru-1"), header: admin, wantStatus: 200, want: []string{"semua sesi pengguna ini berakhir"}},
		{name: "the reset ended their session", path: "/api/v1/me", header: otherSession, wantStatus: 401},
		{name: "disable", method: "POST", path: theirs + "/disable", body: form("x", "y"), header: admin, wantStatus: 200, want: []string{"Pengguna dinonaktifkan.", "Aktifkan kembali"}},
		{name: "disabled cannot log in", method: "POST", path: "/login", body: form("email", other.Email, "password", "kata-sandi-baru-1"), wantStatus: 401},
		{name: "enable", method: "POST", path: theirs + "/enable", body: form("x", "y"), header: admin, wantStatus: 200, want: []string{"diaktifkan kembali"}},
	})
	u, _ := e.store.UserByEmail(context.Background(), "kadinkes@example.go.id")
	if u == nil || u.Name != "Kepala Dinkes" || strings.Join(u.Units, ",") != "DINKES,PKM1" {
		t.Errorf("created viewer %+v", u)
	}
	wantAudit(t, e, []string{
		"user.create user:kadinkes@example.go.id role=viewer units=DINKES,PKM1",
		"user.update user:analyst@example.go.id role=viewer units=DISDIK",
		"user.password_reset user:analyst@example.go.id",
		"user.disable user:analyst@example.go.id",
		"user.enable user:analyst@example.go.id",
	}, "admin@example.go.id")
}

// wantAudit checks that each "action target detail" line was recorded by actor.
func wantAudit(t *testing.T, e *testEnv, lines []string, actor string) {
	t.Helper()
	es, err := e.store.AuditLog(context.Background(), "", 0)
	must(t, err)
	have := map[string]bool{}
	for _, a := range es {
		if a.Actor == actor {
			have[strings.Join(strings.Fields(a.Action+" "+a.Target+" "+a.Detail), " ")] = true
		}
	}
	for _, l := range lines {
		if !have[l] {
			t.Errorf("audit log lacks %q by %s; it holds %v", l, actor, have)
		}
	}
}
