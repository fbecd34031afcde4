package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"integritas/assets"
	"integritas/survey"
)

var now = time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)

func build(t *testing.T, seed uint64) (*survey.Store, Summary) {
	t.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sum, err := Build(ctx, st, Options{Seed: seed, Now: now, Instrument: assets.DefaultInstrument()})
	if err != nil {
		t.Fatal(err)
	}
	return st, sum
}

// fingerprint hashes every stored response of a period, in sorted order:
// response ids are random, so id order differs between two builds.
func fingerprint(t *testing.T, st *survey.Store, code string) [32]byte {
	p, err := st.Period(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	st.EachResponse(context.Background(), p.ID, func(r *survey.StoredResponse) error {
		rows = append(rows, r.Type+r.Channel+r.Hour.String()+string(r.Answers))
		return nil
	})
	sort.Strings(rows)
	var all bytes.Buffer
	for _, r := range rows {
		all.WriteString(r)
	}
	return sha256.Sum256(all.Bytes())
}

func TestBuildIsSeededAndPlausible(t *testing.T) {
	a, sum := build(t, 42)
	b, _ := build(t, 42)
	c, _ := build(t, 43)
	if fingerprint(t, a, Current) != fingerprint(t, b, Current) {
		t.Error("the same seed built two different cities")
	}
	if fingerprint(t, a, Current) == fingerprint(t, c, Current) {
		t.Error("another seed built the same city")
	}
	if sum.Units < 30 || sum.Responses[Current] < 2000 || sum.Responses[Previous] < 1500 || sum.Roster < 1000 {
		t.Errorf("summary: %+v", sum)
	}
	ctx := context.Background()
	prev, _ := a.Period(ctx, Previous)
	cur, _ := a.Period(ctx, Current)
	if prev.Status != survey.StatusClosed || cur.Status != survey.StatusOpen || !cur.Accepting(now) {
		t.Errorf("statuses: %s %s", prev.Status, cur.Status)
	}
	// Building twice is refused, not duplicated.
	if _, err := Build(ctx, a, Options{Seed: 42, Now: now, Instrument: assets.DefaultInstrument()}); !errors.Is(err, ErrExists) {
		t.Errorf("second build: %v", err)
	}
	// Every demo login signs in with its printed password.
	for _, l := range Logins {
		u, _, err := a.Authenticate(ctx, l.Email, l.Password, now)
		if err != nil || u == nil || u.Role != l.Role {
			t.Errorf("login %s: %+v %v", l.Email, u, err)
		}
	}
}
