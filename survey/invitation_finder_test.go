package survey_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"integritas/survey"
)

// TestInvitationFinderOnWriterOrPool looks invitations up with the
// writer's connection free (the lookup runs on it) and checked out by a
// long write (the lookup falls back to the pool after writerWait): both
// give the same answers, the latest draft and use included, and a held
// writer never keeps a questionnaire page waiting.
func TestInvitationFinderOnWriterOrPool(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	toks := f.invite(t, "A", survey.Internal, 3)
	fd, err := f.st.NewInvitationFinder(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer fd.Close()
	if err := f.st.SaveDraft(ctx, toks[0].Token, f.p.Instrument, survey.Draft{Lang: "en", Elapsed: 30, Answers: map[string]string{"T01": "4"}}); err != nil {
		t.Fatal(err)
	}
	submit(t, f, toks[1].Token, "A", survey.Internal)

	check := func(mode string) {
		t.Helper()
		inv, err := fd.ByToken(ctx, toks[0].Token)
		if err != nil || inv.Used || inv.Draft == nil || inv.Draft.Answers["T01"] != "4" || inv.UnitCode != "A" {
			t.Errorf("%s: the invitation with a draft: %+v, %v", mode, inv, err)
		}
		if inv, err := fd.ByToken(ctx, toks[1].Token); err != nil || !inv.Used || inv.Draft != nil {
			t.Errorf("%s: the used invitation: %+v, %v", mode, inv, err)
		}
		if inv, err := fd.ByToken(ctx, toks[2].Token); err != nil || inv.Used || inv.Draft != nil || inv.Type != survey.Internal {
			t.Errorf("%s: the fresh invitation: %+v, %v", mode, inv, err)
		}
		if _, err := fd.ByToken(ctx, "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg"); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("%s: an unknown token: %v, want ErrNotFound", mode, err)
		}
	}

	if !survey.LookedUpOnWriter(ctx, fd, toks[2].Token) {
		t.Fatal("the lookup did not run on the free writer's connection")
	}
	check("writer free")

	release, err := survey.HoldWriterConn(ctx, f.st)
	if err != nil {
		t.Fatal(err)
	}
	if survey.LookedUpOnWriter(ctx, fd, toks[2].Token) {
		t.Error("the lookup ran on the writer's connection while a write held it")
	}
	done := make(chan struct{})
	go func() { defer close(done); check("writer held") }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a lookup waited for the held writer")
	}
	release()
	// What was written last is what the lookup sees, on either path.
	if err := f.st.SaveDraft(ctx, toks[2].Token, f.p.Instrument, survey.Draft{Answers: map[string]string{"T01": "2"}}); err != nil {
		t.Fatal(err)
	}
	if inv, err := fd.ByToken(ctx, toks[2].Token); err != nil || inv.Draft == nil || inv.Draft.Answers["T01"] != "2" {
		t.Errorf("after a new draft: %+v, %v", inv, err)
	}
}
