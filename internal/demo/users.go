package demo

import (
	"context"

	"integritas/survey"
)

// Login is a demo account, printed by `integritas demo`.
type Login struct {
	Email, Password, Role string
	Units                 []string
}

// Logins are the demo city's accounts: one per role, and a viewer who sees
// only the health office. The passwords are public: demo data only.
var Logins = []Login{
	{"admin@sukamaju.go.id", "demo-admin-2026", "admin", nil},
	{"inspektur@sukamaju.go.id", "demo-inspektur-2026", "inspector", nil},
	{"analis@sukamaju.go.id", "demo-analis-2026", "analyst", nil},
	{"kepala.dinkes@sukamaju.go.id", "demo-dinkes-2026", "viewer", []string{"DINKES"}},
}

func users(ctx context.Context, st *survey.Store) error {
	names := map[string]string{"admin": "Admin Demo", "inspector": "Inspektur Pembantu", "analyst": "Analis SPI", "viewer": "Kepala Dinas Kesehatan"}
	for _, l := range Logins {
		if _, err := st.CreateUser(ctx, survey.NewUser{Email: l.Email, Name: names[l.Role], Role: l.Role, Password: l.Password, Units: l.Units}); err != nil {
			return err
		}
	}
	return nil
}
