package survey

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"integritas/assets"
	"integritas/internal/pgtest"
)

// openTestStore opens a store on a new file with period "P1" (open) and
// units A, B and C, on the given clock.
func openTestStore(t *testing.T, now func() time.Time) *Store {
	t.Helper()
	return openTestStoreOn(t, pgtest.Enabled(), now)
}

// openTestStoreOn is openTestStore on PostgreSQL or, for what only a
// SQLite file has, on SQLite.
func openTestStoreOn(t *testing.T, pg bool, now func() time.Time) *Store {
	t.Helper()
	ctx := context.Background()
	st := testStore(t, pg, WithClock(now))
	p, err := st.CreatePeriod(ctx, NewPeriod{Code: "P1", Instrument: assets.DefaultInstrument()})
	if err != nil {
		t.Fatal(err)
	}
	units := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
		"A,Unit A,,,10,,\nB,Unit B,,,10,,\nC,Unit C,A,,10,,\n"
	if _, err := st.ImportUnitsCSV(ctx, p, "u.csv", strings.NewReader(units)); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPeriodStatus(ctx, "P1", StatusOpen); err != nil {
		t.Fatal(err)
	}
	return st
}

func fixedClock() func() time.Time {
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	return func() time.Time { return now }
}

const goodPassword = "kata-sandi-rahasia"

func TestCreateUser(t *testing.T) {
	st := openTestStore(t, fixedClock())
	ctx := context.Background()
	tests := []struct {
		name      string
		in        NewUser
		wantField string // AccountError field, "" for success
		wantErr   error
	}{
		{"admin", NewUser{Email: " Admin@Example.go.id ", Name: "Ani", Role: RoleAdmin, Password: goodPassword}, "", nil},
		{"viewer with units", NewUser{Email: "v@example.go.id", Role: RoleViewer, Password: goodPassword, Units: []string{"B", "A"}}, "", nil},
		{"duplicate e-mail, other case", NewUser{Email: "ADMIN@example.go.id", Role: RoleAnalyst, Password: goodPassword}, "", ErrConflict},
		{"bad e-mail", NewUser{Email: "not an address", Role: RoleAdmin, Password: goodPassword}, "email", nil},
		{"display-name e-mail", NewUser{Email: "Ani <a@example.go.id>", Role: RoleAdmin, Password: goodPassword}, "email", nil},
		{"unknown role", NewUser{Email: "r@example.go.id", Role: "root", Password: goodPassword}, "role", nil},
		{"short password", NewUser{Email: "s@example.go.id", Role: RoleAdmin, Password: "pendek"}, "password", nil},
		{"too long password", NewUser{Email: "l@example.go.id", Role: RoleAdmin, Password: strings.Repeat("x", 73)}, "password", nil},
		{"units on a non-viewer", NewUser{Email: "i@example.go.id", Role: RoleInspector, Password: goodPassword, Units: []string{"A"}}, "units", nil},
		{"unknown unit", NewUser{Email: "u@example.go.id", Role: RoleViewer, Password: goodPassword, Units: []string{"A", "ZZZ"}}, "units", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := st.CreateUser(ctx, tc.in)
			var ae *AccountError
			switch {
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
			case tc.wantField != "":
				if !errors.As(err, &ae) || ae.Field != tc.wantField {
					t.Fatalf("err %v, want an AccountError on %s", err, tc.wantField)
				}
				if _, err := st.UserByEmail(ctx, tc.in.Email); !errors.Is(err, ErrNotFound) {
					t.Errorf("a refused account was stored: %v", err)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if u.Email != strings.ToLower(strings.TrimSpace(tc.in.Email)) || u.Role != tc.in.Role {
					t.Errorf("stored %+v", u)
				}
			}
		})
	}
	v, err := st.UserByEmail(ctx, "V@EXAMPLE.GO.ID")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(v.Units, ",") != "A,B" {
		t.Errorf("viewer units %v, want [A B]", v.Units)
	}
	var hash string
	st.r.QueryRow(`SELECT password_hash FROM users WHERE email = 'v@example.go.id'`).Scan(&hash)
	if !strings.HasPrefix(hash, "$2a$") || strings.Contains(hash, goodPassword) {
		t.Errorf("password not stored as a bcrypt hash: %q", hash)
	}
}

func TestUpdateUserAndDisable(t *testing.T) {
	st := openTestStore(t, fixedClock())
	ctx := context.Background()
	u, err := st.CreateUser(ctx, NewUser{Email: "x@example.go.id", Role: RoleViewer, Password: goodPassword, Units: []string{"A"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateUser(ctx, u.ID, UserChange{Name: "X", Role: RoleViewer, Units: []string{"B", "C"}}); err != nil {
		t.Fatal(err)
	}
	got, _ := st.UserByID(ctx, u.ID)
	if got.Name != "X" || strings.Join(got.Units, ",") != "B,C" {
		t.Errorf("after update %+v", got)
	}
	var ae *AccountError
	if err := st.UpdateUser(ctx, u.ID, UserChange{Role: RoleAnalyst, Units: []string{"B"}}); !errors.As(err, &ae) {
		t.Errorf("units on analyst: %v", err)
	}
	if err := st.UpdateUser(ctx, u.ID, UserChange{Role: RoleAnalyst}); err != nil {
		t.Fatal(err)
	}
	got, _ = st.UserByID(ctx, u.ID)
	if got.Role != RoleAnalyst || len(got.Units) != 0 {
		t.Errorf("promoted analyst keeps %+v", got)
	}
	if err := st.UpdateUser(ctx, 999, UserChange{Role: RoleAnalyst}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	now := fixedClock()()
	tok, _ := st.CreateSession(ctx, u.ID, now, time.Hour)
	if err := st.SetUserDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SessionUser(ctx, tok, now, time.Hour); !errors.Is(err, ErrNotFound) {
		t.Errorf("session of a disabled user still works: %v", err)
	}
	if _, res, err := st.Authenticate(ctx, "x@example.go.id", goodPassword, now); !errors.Is(err, ErrBadCredentials) || res != LoginDisabled {
		t.Errorf("disabled login: %v %v", res, err)
	}
	st.SetUserDisabled(ctx, u.ID, false)
	if _, _, err := st.Authenticate(ctx, "x@example.go.id", goodPassword, now); err != nil {
		t.Errorf("re-enabled login: %v", err)
	}
}

func TestDatabaseFileMode(t *testing.T) {
	st := openTestStoreOn(t, false, fixedClock())
	for _, p := range []string{st.Path(), st.Path() + "-wal", st.Path() + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
}
