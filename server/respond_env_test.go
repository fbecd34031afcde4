package server

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"integritas/assets"
	"integritas/internal/pgtest"
	"integritas/survey"
)

// respondEnv adds to the shared test environment what the respondent tests
// need: periods in other states and a way to send requests without
// following redirects.
//
//	SPI-T (open):   DINKES, PKM1, DISDIK      (from newTestEnv)
//	SPI-X (open):   KOTA only                 (a unit of another period)
//	SPI-C (closed): DINKES, with invitations made while it was open
type respondEnv struct {
	*testEnv
	closedToken string
}

func newRespondEnv(t *testing.T) *respondEnv {
	t.Helper()
	e := &respondEnv{testEnv: newTestEnv(t)}
	ctx := context.Background()
	for _, p := range []struct{ code, units string }{{"SPI-X", "KOTA,Kota"}, {"SPI-C", "DINKES,Dinas Kesehatan"}} {
		per, err := e.store.CreatePeriod(ctx, survey.NewPeriod{Code: p.code, Instrument: assets.DefaultInstrument()})
		if err != nil {
			t.Fatal(err)
		}
		csv := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" + p.units + ",,,10,100,5\n"
		if _, err := e.store.ImportUnitsCSV(ctx, per, "u.csv", strings.NewReader(csv)); err != nil {
			t.Fatal(err)
		}
		if err := e.store.SetPeriodStatus(ctx, p.code, survey.StatusOpen); err != nil {
			t.Fatal(err)
		}
		if p.code == "SPI-C" {
			iss, err := e.store.CreateInvitations(ctx, per.ID, []survey.NewInvitation{{UnitCode: "DINKES", Type: survey.Internal}})
			if err != nil {
				t.Fatal(err)
			}
			e.closedToken = iss[0].Token
			if err := e.store.SetPeriodStatus(ctx, p.code, survey.StatusClosed); err != nil {
				t.Fatal(err)
			}
		}
	}
	return e
}

// invite makes n invitations of SPI-T and returns their tokens.
func (e *respondEnv) invite(unit, typ string, n int) []string {
	e.t.Helper()
	want := make([]survey.NewInvitation, n)
	for i := range want {
		want[i] = survey.NewInvitation{UnitCode: unit, Type: typ}
	}
	iss, err := e.store.CreateInvitations(context.Background(), e.period.ID, want)
	if err != nil {
		e.t.Fatal(err)
	}
	out := make([]string, n)
	for i, x := range iss {
		out[i] = x.Token
	}
	return out
}

// raw sends one request without following redirects.
func (e *respondEnv) raw(method, path, body string, header map[string]string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.http.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// count runs a counting query on the database file.
func (e *respondEnv) count(q string, args ...any) int {
	e.t.Helper()
	db := pgtest.OpenRaw(e.t, e.store.Path())
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// valid are answers a respondent of each type may send (the required items
// plus a few others) as a form body; extra key, value pairs add to or
// replace them.
func valid(extra ...string) string {
	v := url.Values{}
	base := []string{"T01", "4", "SOS01", "3", "SOS02", "5", "T02", "dk", "IT04", "no", "_started", "1781515000"}
	for _, kv := range [][]string{base, extra} {
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v.Encode()
}

// answersJSON is valid as the API's answers object.
const answersJSON = `{"T01": "4", "SOS01": "3", "SOS02": "5", "IT04": "yes", "X01": "Antrean lebih tertib"}`

// longForm is a form body over the respondent body limit.
func longForm() string {
	return form("T01", "4", "X01", strings.Repeat("a", 70<<10))
}
