package survey

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestControlCharactersRefusedInNames: every name a person types or imports
// (a unit's and its head's, a period's, a staff account's, a roster
// entry's, an API token's) refuses control characters and direction
// overrides, which used to be stored as given and then broke CSV and log
// lines or made a name read differently than stored.
func TestControlCharactersRefusedInNames(t *testing.T) {
	for s, want := range map[string]bool{
		"Dinas Kesehatan": false, "Dinas Pendidikan, Pemuda & Olahraga": false, "Bapak I Gusti Ngurah Rai": false, "Ñoño — Café": false,
		"Dinas\nKesehatan": true, "Dinas\tKesehatan": true, "a\x00b": true, "\x1b[31mred": true, "Dinas\u202Enatahesek": true,
		"x\u2066y\u2069": true, "x\u2028y": true, "x\u0085y": true, "\xff\xfe": true,
	} {
		if got := HasControl(s); got != want {
			t.Errorf("HasControl(%q) = %v, want %v", s, got, want)
		}
	}
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	bad := "Dinas\u202Enatahesek"

	var ae *AccountError
	if _, err := st.CreateUser(ctx, NewUser{Email: "a@example.go.id", Name: "Budi\r\nBcc: x", Role: RoleAnalyst, Password: "kata-sandi-panjang"}); !errors.As(err, &ae) || ae.Code != "control" {
		t.Errorf("user name with CRLF: %v", err)
	}
	if _, err := st.CreateUser(ctx, NewUser{Email: "b@example.go.id", Name: "Budi", Role: RoleAnalyst, Password: "kata-sandi-panjang"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.CreateToken(ctx, "b@example.go.id", "scrape\x1b[2J"); !errors.As(err, &ae) || ae.Code != "control" {
		t.Errorf("token name with an escape: %v", err)
	}
	if _, err := st.CreatePeriod(ctx, NewPeriod{Code: "Q", Name: "SPI\n2026", Instrument: defaultInstrument(t)}); !errors.Is(err, ErrControlChars) {
		t.Errorf("period name with a line break: %v", err)
	}
	name := "Q2"
	d, err := st.CreatePeriod(ctx, NewPeriod{Code: "Q2", Instrument: defaultInstrument(t)})
	if err != nil {
		t.Fatal(err)
	}
	name = "SPI\t2026"
	if _, err := st.EditDraftPeriod(ctx, d.Code, PeriodEdit{Name: &name}); !errors.Is(err, ErrControlChars) {
		t.Errorf("period edit with a tab: %v", err)
	}
	u, _ := st.Unit(ctx, p.ID, "DINKES")
	u.Name = bad
	if err := st.UpdateUnit(ctx, p.ID, u); !errors.Is(err, ErrControlChars) {
		t.Errorf("unit name with an override: %v", err)
	}
	units := "code,name,parent_code,head_email,internal_population,external_population,expert_population,head_name\n" +
		"NEW,Baru,,,1,,,Kepala\u2066x\u2069\nNEW2,\"Dua\nbaris\",,,1,,,\n"
	_, err = st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(units))
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 2 || ie.Rows[0].Column != "head_name" || ie.Rows[1].Column != "name" {
		t.Errorf("unit import: %v", err)
	}
	roster := "unit,type,name,email\nDINKES,internal,\"Budi\u202E\",budi@example.go.id\n"
	if _, _, err := st.ImportRosterCSV(ctx, p, "roster.csv", strings.NewReader(roster)); !errors.As(err, &ie) || ie.Rows[0].Column != "name" {
		t.Errorf("roster import: %v", err)
	}
	if got, _ := st.Unit(ctx, p.ID, "DINKES"); got.Name == bad {
		t.Error("a refused unit name was stored")
	}
}
