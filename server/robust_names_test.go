package server

import "testing"

// TestControlCharactersRefusedOnForms: the admin forms refuse a unit, head,
// staff or period name holding control characters or a direction override
// with a 400 that says why, instead of storing it.
func TestControlCharactersRefusedOnForms(t *testing.T) {
	e := newTestEnv(t)
	admin := e.loginAs("admin")
	e.run([]scenario{
		{name: "unit name with a direction override", method: "POST", path: "/admin/periods/SPI-T/units/DINKES", header: admin,
			body: form("name", "Dinas \u202Enatahesek", "internal_population", "120"), wantStatus: 400, want: []string{"karakter kontrol"}},
		{name: "head name with a line break", method: "POST", path: "/admin/periods/SPI-T/units/DINKES", header: admin,
			body: form("name", "Dinas Kesehatan", "head_name", "dr. Budi\nBcc: x", "internal_population", "120"), wantStatus: 400, want: []string{"karakter kontrol"}},
		{name: "staff name with CR LF", method: "POST", path: "/admin/users", header: admin,
			body: form("email", "crlf@example.go.id", "name", "Budi\r\nAdmin", "role", "viewer", "password", testPassword), wantStatus: 400, want: []string{"karakter kontrol"}},
		{name: "the unit kept its name", path: "/admin/periods/SPI-T/units/DINKES", header: admin, wantStatus: 200, want: []string{"Dinas Kesehatan"}, notWant: []string{"natahesek"}},
	})
	body, h := upload(t, map[string]string{"code": "SPI-CC", "name": "SPI\x1b[2J 2026"}, nil, admin)
	if resp, page := e.send("POST", "/admin/periods", body, h); resp.StatusCode != 400 {
		t.Errorf("period name with an escape: %d %.300s", resp.StatusCode, page)
	}
}
