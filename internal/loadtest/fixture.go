package loadtest

import (
	"context"
	"fmt"
	"strings"

	"integritas/assets"
	"integritas/survey"
)

// Fixture is an open period with units and unused invitation links, made
// in a store for a run.
type Fixture struct {
	Period *survey.Period
	Units  []string // unit codes
	Tokens []Token  // unused invitations, in the order made
}

// Token is an invitation link's token with its unit and respondent type.
type Token struct {
	Token, Unit, Type string
}

// Prepare creates an open period code with the default instrument, units
// U001…, and invitations invitations spread over the units (four internal
// to every expert).
func Prepare(ctx context.Context, st *survey.Store, code string, units, invitations int) (*Fixture, error) {
	p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: code, Name: "Load test " + code, Instrument: assets.DefaultInstrument()})
	if err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	f := &Fixture{}
	var csv strings.Builder
	csv.WriteString("code,name,parent_code,head_email,internal_population,external_population,expert_population\n")
	for i := range max(1, units) {
		u := fmt.Sprintf("U%03d", i+1)
		f.Units = append(f.Units, u)
		fmt.Fprintf(&csv, "%s,Unit %d,,,%d,%d,%d\n", u, i+1, 100000, 1000000, 1000)
	}
	if _, err := st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(csv.String())); err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	if err := st.SetPeriodStatus(ctx, code, survey.StatusOpen); err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	if f.Period, err = st.Period(ctx, code); err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	want := make([]survey.NewInvitation, invitations)
	for i := range want {
		want[i] = survey.NewInvitation{UnitCode: f.Units[i%len(f.Units)], Type: survey.Internal}
		if i%5 == 4 {
			want[i].Type = survey.Expert
		}
	}
	// Batches keep each transaction short.
	for len(want) > 0 {
		n := min(len(want), 20000)
		iss, err := st.CreateInvitations(ctx, f.Period.ID, want[:n])
		if err != nil {
			return nil, fmt.Errorf("loadtest: %w", err)
		}
		for _, x := range iss {
			f.Tokens = append(f.Tokens, Token{Token: x.Token, Unit: x.UnitCode, Type: x.Type})
		}
		want = want[n:]
	}
	return f, nil
}
