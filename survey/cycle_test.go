package survey

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func strp(s string) *string { return &s }

// A period created with dates already past cannot open until its closing
// date is moved; a draft can be edited and deleted; an open one extended.
func TestPeriodEditExtendDelete(t *testing.T) {
	ctx := context.Background()
	st := newStore(t) // today is 2026-06-15
	p, err := st.CreatePeriod(ctx, NewPeriod{Code: "OLD", Instrument: defaultInstrument(t), OpensOn: "2026-01-01", ClosesOn: "2026-03-31"})
	if err != nil || p.Status != StatusDraft {
		t.Fatalf("create: %v", err)
	}
	err = st.OpenPeriod(ctx, "OLD")
	if !errors.Is(err, ErrPastClosing) || !strings.Contains(err.Error(), "period edit --period OLD --closes") {
		t.Fatalf("open past closing: %v", err)
	}
	if _, err := st.EditDraftPeriod(ctx, "OLD", PeriodEdit{ClosesOn: strp("2025-12-31")}); err == nil {
		t.Fatal("closing before opening accepted")
	}
	if _, err := st.EditDraftPeriod(ctx, "OLD", PeriodEdit{ClosesOn: strp("30-09-2026")}); err == nil {
		t.Fatal("bad date accepted")
	}
	p, err = st.EditDraftPeriod(ctx, "OLD", PeriodEdit{Name: strp("SPI 2026"), ClosesOn: strp("2026-06-30"), Settings: []byte(`{"min_group":6}`)})
	if err != nil || p.Name != "SPI 2026" || p.ClosesOn != "2026-06-30" || string(p.Settings) != `{"min_group":6}` {
		t.Fatalf("edit: %v %+v", err, p)
	}
	if err := st.OpenPeriod(ctx, "OLD"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.EditDraftPeriod(ctx, "OLD", PeriodEdit{Name: strp("x")}); !errors.Is(err, ErrClosed) {
		t.Fatalf("edit open period: %v", err)
	}
	if _, err := st.ExtendPeriod(ctx, "OLD", "2026-06-01"); !errors.Is(err, ErrPastClosing) {
		t.Fatalf("extend into the past: %v", err)
	}
	if p, err = st.ExtendPeriod(ctx, "OLD", "2026-07-31"); err != nil || p.ClosesOn != "2026-07-31" {
		t.Fatalf("extend: %v", err)
	}
	if err := st.DeletePeriod(ctx, "OLD"); err != nil {
		t.Fatalf("delete without responses: %v", err)
	}
	if _, err := st.Period(ctx, "OLD"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted period still there: %v", err)
	}
}

func TestDeletePeriodWithResponsesRefused(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	if _, err := st.w.Exec(`INSERT INTO responses (id, period_id, unit_id, respondent_type, channel, submitted_hour, answers)
		SELECT 1, ?, unit_id, 'external', 'paper', '2026-06-15T09', ? FROM period_units WHERE period_id = ? LIMIT 1`, p.ID, []byte{1}, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.DeletePeriod(ctx, "P"); !errors.Is(err, ErrHasResponses) {
		t.Fatalf("delete with responses: %v", err)
	}
}

func TestOrgSettings(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	o, err := st.OrgSettings(ctx)
	if err != nil || o.TimeZone != "Asia/Jakarta" || o.ZoneLabel() != "WIB" || o.Lang != "id" {
		t.Fatalf("defaults: %v %+v", err, o)
	}
	if got := o.FormatTime(testClock); got != "2026-06-15 16:30 WIB" {
		t.Errorf("time in WIB: %q", got)
	}
	for _, bad := range []OrgSettings{
		{Inspectorate: "I", BaseURL: "ftp://x"},
		{Inspectorate: ""},
		{Inspectorate: "I", TimeZone: "Mars/Base"},
		{Inspectorate: "I", SignatoryNIP: "19800101abc"},
		{Inspectorate: "I", ReplyTo: "not an address"},
	} {
		if err := st.SaveOrgSettings(ctx, bad, "t"); !errors.Is(err, ErrInvalidSettings) {
			t.Errorf("%+v accepted: %v", bad, err)
		}
	}
	want := OrgSettings{BaseURL: "https://spi.sukamaju.go.id/", Inspectorate: "Inspektorat Kota Sukamaju", TimeZone: "Asia/Makassar",
		SignatoryNIP: "19700101 199001 1 001", ReplyTo: "inspektorat@sukamaju.go.id", LetterPlace: "Sukamaju"}
	if err := st.SaveOrgSettings(ctx, want, "admin@x"); err != nil {
		t.Fatal(err)
	}
	got, _ := st.OrgSettings(ctx)
	if got.BaseURL != "https://spi.sukamaju.go.id" || got.ZoneLabel() != "WITA" || got.LetterPlace != "Sukamaju" || got.Lang != "id" {
		t.Fatalf("stored: %+v", got)
	}
}

func TestNormalizePhone(t *testing.T) {
	good := map[string]string{
		"0812-3456-7890":     "6281234567890",
		"+62 812 3456 7890":  "6281234567890",
		"62812 3456 7890":    "6281234567890",
		"812.3456.789":       "628123456789",
		"(0813) 1111 2222":   "6281311112222",
		"+60 12-345 6789":    "60123456789",
		" 085712345678 ":     "6285712345678",
		"+6281234567890":     "6281234567890",
		"0811-234-567":       "62811234567",
		"6289912345678":      "6289912345678",
		"+62-857-1234-56789": "62857123456789",
	}
	for in, want := range good {
		got, err := NormalizePhone(in)
		if err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":                  "cycle.phone.empty",
		"0812 abc":          "cycle.phone.chars",
		"021-555-1234":      "cycle.phone.not_mobile",
		"0812":              "cycle.phone.length",
		"08123456789012345": "cycle.phone.length",
		"+1":                "cycle.phone.length",
		"12345":             "cycle.phone.not_mobile",
	}
	for in, key := range bad {
		_, err := NormalizePhone(in)
		var pe *PhoneError
		if !errors.As(err, &pe) || pe.Key != key {
			t.Errorf("NormalizePhone(%q) = %v; want %s", in, err, key)
		}
	}
}
