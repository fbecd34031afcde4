package survey_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"integritas/assets"
	"integritas/survey"
)

// fixture is a real store with an open period "P" (default instrument) and
// units A and B, plus a draft period "Q" with unit C only.
type fixture struct {
	st   *survey.Store
	p, q *survey.Period
	now  time.Time
}

// newFixture releases every answer from the pool at once, so that a test
// reads a response right after submitting it.
func newFixture(t testing.TB) *fixture { return newFixtureWith(t, survey.WithPoolRelease(1)) }

func newFixtureWith(t testing.TB, opts ...survey.StoreOption) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{now: time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)}
	st, err := survey.Open(ctx, filepath.Join(t.TempDir(), "s.db"), append([]survey.StoreOption{survey.WithClock(func() time.Time { return f.now })}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.st = st
	for _, c := range []struct{ code, units string }{{"P", "A,Unit A,,,10,100,5\nB,Unit B,,,10,100,5\n"}, {"Q", "C,Unit C,,,10,100,5\n"}} {
		p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: c.code, Instrument: assets.DefaultInstrument()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.ImportUnitsCSV(ctx, p, "u.csv", strings.NewReader("code,name,parent_code,head_email,internal_population,external_population,expert_population\n"+c.units)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetPeriodStatus(ctx, "P", survey.StatusOpen); err != nil {
		t.Fatal(err)
	}
	f.p, _ = st.Period(ctx, "P")
	f.q, _ = st.Period(ctx, "Q")
	return f
}

func (f *fixture) invite(t testing.TB, unit, typ string, n int) []survey.IssuedInvitation {
	t.Helper()
	want := make([]survey.NewInvitation, n)
	for i := range want {
		want[i] = survey.NewInvitation{UnitCode: unit, Type: typ}
	}
	got, err := f.st.CreateInvitations(context.Background(), f.p.ID, want)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestTokens(t *testing.T) {
	tok, hash := survey.NewToken()
	if len(tok) != 43 || len(hash) != 32 {
		t.Fatalf("token %q (%d chars), hash %d bytes", tok, len(tok), len(hash))
	}
	h2, err := survey.TokenHash(tok)
	if err != nil || string(h2) != string(hash) {
		t.Fatalf("TokenHash(token) = %x, %v; want %x", h2, err, hash)
	}
	other, _ := survey.NewToken()
	if other == tok {
		t.Fatal("two tokens are equal")
	}
	for _, bad := range []string{"", "abc", tok + "A", tok[:42] + "!", strings.Repeat("/", 43)} {
		if _, err := survey.TokenHash(bad); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("TokenHash(%q) = %v, want ErrNotFound", bad, err)
		}
	}
}

func TestInvitations(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	t.Run("create and look up", func(t *testing.T) {
		got := f.invite(t, "A", survey.Internal, 3)
		if len(got) != 3 {
			t.Fatalf("got %d invitations", len(got))
		}
		inv, err := f.st.InvitationByToken(ctx, got[1].Token)
		if err != nil {
			t.Fatal(err)
		}
		if inv.UnitCode != "A" || inv.Type != survey.Internal || inv.Used || inv.Draft != nil || inv.PeriodID != f.p.ID {
			t.Errorf("invitation %+v", inv)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		cases := []struct {
			name   string
			period int64
			want   survey.NewInvitation
			err    error
		}{
			{"unit of another period", f.p.ID, survey.NewInvitation{UnitCode: "C", Type: survey.Internal}, survey.ErrNotFound},
			{"unknown unit", f.p.ID, survey.NewInvitation{UnitCode: "ZZ", Type: survey.Internal}, survey.ErrNotFound},
			{"unknown period", 999, survey.NewInvitation{UnitCode: "A", Type: survey.Internal}, survey.ErrNotFound},
			{"bad type", f.p.ID, survey.NewInvitation{UnitCode: "A", Type: "boss"}, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.st.CreateInvitations(ctx, c.period, []survey.NewInvitation{c.want})
				if err == nil || (c.err != nil && !errors.Is(err, c.err)) {
					t.Errorf("err = %v, want %v", err, c.err)
				}
			})
		}
	})
	t.Run("unknown token", func(t *testing.T) {
		tok, _ := survey.NewToken()
		if _, err := f.st.InvitationByToken(ctx, tok); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("reissue rotates unused tokens only", func(t *testing.T) {
		f := newFixture(t)
		old := f.invite(t, "A", survey.Internal, 2)
		oldB := f.invite(t, "B", survey.Expert, 1)
		submit(t, f, old[0].Token, "A", survey.Internal)
		if err := f.st.SaveDraft(ctx, old[1].Token, f.p.Instrument, survey.Draft{Answers: map[string]string{"T01": "4"}}); err != nil {
			t.Fatal(err)
		}
		issued, used, err := f.st.ReissueInvitations(ctx, f.p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if used != 1 || len(issued) != 2 {
			t.Fatalf("used %d, issued %d", used, len(issued))
		}
		if _, err := f.st.InvitationByToken(ctx, old[1].Token); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("old link still works: %v", err)
		}
		if _, err := f.st.InvitationByToken(ctx, oldB[0].Token); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("old link of B still works: %v", err)
		}
		if inv, err := f.st.InvitationByToken(ctx, old[0].Token); err != nil || !inv.Used {
			t.Errorf("used invitation was touched: %+v, %v", inv, err)
		}
		// The draft was sealed with the old link's token, which is gone:
		// the new link starts afresh, and the unreadable draft is deleted.
		fresh, err := f.st.InvitationByToken(ctx, issued[0].Token)
		if err != nil || fresh.Draft != nil {
			t.Errorf("new link: %+v, %v; want no draft", fresh, err)
		}
		var n int
		if err := readDB(t, f, "SELECT count(*) FROM sealed_drafts", &n); err != nil || n != 0 {
			t.Errorf("%d drafts left after the reissue (%v), want 0", n, err)
		}
		onlyB, _, err := f.st.ReissueInvitations(ctx, f.p.ID, "B")
		if err != nil || len(onlyB) != 1 || onlyB[0].UnitCode != "B" || onlyB[0].Type != survey.Expert {
			t.Errorf("reissue of unit B: %+v, %v", onlyB, err)
		}
	})
}

func TestDrafts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	tok := f.invite(t, "A", survey.Internal, 1)[0].Token
	long := strings.Repeat("x", survey.MaxTextLen+100)
	err := f.st.SaveDraft(ctx, tok, f.p.Instrument, survey.Draft{Lang: "en", Elapsed: 95,
		Answers: map[string]string{"T01": "4", "NOPE": "1", "golongan": "III", "X01": long, "T02": ""}})
	if err != nil {
		t.Fatal(err)
	}
	inv, _ := f.st.InvitationByToken(ctx, tok)
	d := inv.Draft
	if d == nil || d.Lang != "en" || d.Elapsed != 95 || d.Answers["T01"] != "4" || d.Answers["golongan"] != "III" {
		t.Fatalf("draft %+v", d)
	}
	if _, ok := d.Answers["NOPE"]; ok {
		t.Error("draft kept an unknown item")
	}
	if _, ok := d.Answers["T02"]; ok {
		t.Error("draft kept an empty answer")
	}
	if len(d.Answers["X01"]) > survey.MaxTextLen+4 {
		t.Errorf("draft text not clipped: %d bytes", len(d.Answers["X01"]))
	}
	submit(t, f, tok, "A", survey.Internal)
	var n int
	if err := readDB(t, f, "SELECT count(*) FROM sealed_drafts", &n); err != nil || n != 0 {
		t.Errorf("drafts after submit: %d, %v", n, err)
	}
	if err := f.st.SaveDraft(ctx, tok, f.p.Instrument, survey.Draft{Answers: map[string]string{"T01": "1"}}); !errors.Is(err, survey.ErrUsed) {
		t.Errorf("draft of a used invitation: %v, want ErrUsed", err)
	}
}
