package mail

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"integritas/analysis"
	"integritas/internal/demo"
	"integritas/survey"
)

var linkRE = regexp.MustCompile(`/s/([A-Za-z0-9_-]{43})`)

// A drawn sample is invited by e-mail; reminders then go only to the
// invitations still unused, each with a fresh link, and a used invitation
// is left exactly as it was.
func TestSampleInvitesAndRemindersSkipUsed(t *testing.T) {
	ctx := context.Background()
	st := demoStore(t)
	p, _ := st.Period(ctx, demo.Current)
	ib := newInbox(t)
	m, w, _ := testMailer(t, st, ib, 6000)
	samples, err := st.DrawSample(ctx, p.ID, survey.SampleRequest{Units: []string{"DINKES"}, Types: []string{survey.Internal}, Margin: 10, Seed: 9, By: "test",
		Size: analysis.RequiredSampleSize})
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.InviteSample(ctx, p, samples, "id")
	if err != nil {
		t.Fatal(err)
	}
	n := samples[0].Size
	if got.Created != n || got.Queued+got.NoEmail != n || got.Queued < 5 {
		t.Fatalf("invite: %+v for %d drawn", got, n)
	}
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	// Every drawn person with an e-mail got one invitation with a working link.
	recorded, _ := st.Samples(ctx, p.ID, true)
	tokens := map[string]string{} // e-mail → token
	for _, mem := range recorded[0].Members {
		if mem.InvitationID == 0 {
			t.Errorf("member %d has no invitation recorded", mem.RosterID)
		}
		if mem.Email == "" {
			continue
		}
		msgs := ib.received(mem.Email)
		if len(msgs) != 1 {
			t.Fatalf("%d invitations to %s", len(msgs), mem.Email)
		}
		_, text, _ := parts(t, msgs[0])
		tok := linkRE.FindStringSubmatch(text)
		if tok == nil {
			t.Fatalf("no link in %q", text)
		}
		inv, err := st.InvitationByToken(ctx, tok[1])
		if err != nil || inv.Used || inv.UnitCode != "DINKES" {
			t.Fatalf("the link does not open an unused DINKES invitation: %+v, %v", inv, err)
		}
		tokens[mem.Email] = tok[1]
	}
	// Two of them answer.
	c, err := st.NewCommitter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	unit, _ := st.Unit(ctx, p.ID, "DINKES")
	var used []string
	for email, tok := range tokens {
		if len(used) == 2 {
			break
		}
		hash, _ := survey.TokenHash(tok)
		vec := make([]byte, len(p.Instrument.Items))
		for i, it := range p.Instrument.Items {
			switch {
			case !it.For(survey.Internal):
			case it.Scale.Kind == survey.KindOrdinal:
				vec[i] = 1
			case it.Scale.Kind == survey.KindExperience:
				vec[i] = survey.AnswerNo
			}
		}
		sub := &survey.Submission{TokenHash: hash, Response: survey.NewResponse{PeriodID: p.ID, UnitID: unit.ID, Type: survey.Internal,
			Channel: survey.ChannelInvitation, Duration: 300, Lang: "id", Answers: survey.Answers{Vector: vec}}}
		if err := c.Submit(ctx, sub); err != nil {
			t.Fatal(err)
		}
		used = append(used, email)
	}
	reminded, err := m.Remind(ctx, p, "DINKES", "en")
	if err != nil {
		t.Fatal(err)
	}
	if reminded != len(tokens)-2 {
		t.Fatalf("%d reminders for %d unused invitations", reminded, len(tokens)-2)
	}
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	for email, old := range tokens {
		msgs := ib.received(email)
		isUsed := email == used[0] || email == used[1]
		if isUsed {
			if len(msgs) != 1 {
				t.Errorf("%s answered and still got %d messages", email, len(msgs))
			}
			if inv, err := st.InvitationByToken(ctx, old); err != nil || !inv.Used {
				t.Errorf("a used invitation was touched: %+v, %v", inv, err)
			}
			continue
		}
		if len(msgs) != 2 {
			t.Errorf("%s got %d messages, want the invitation and one reminder", email, len(msgs))
			continue
		}
		subject, text, _ := parts(t, msgs[1])
		tok := linkRE.FindStringSubmatch(text)
		if !strings.Contains(subject, "Reminder") || tok == nil || tok[1] == old {
			t.Errorf("reminder %q carries no fresh link", subject)
			continue
		}
		if inv, err := st.InvitationByToken(ctx, tok[1]); err != nil || inv.Used {
			t.Errorf("the reminder's link does not open the unused invitation: %v", err)
		}
	}
	// A reminder's text never mentions answers or who answered.
	log, _ := st.Deliveries(ctx, p.ID, survey.DeliveryReminder, 0)
	for _, d := range log {
		if d.InvitationID == 0 || d.Status != survey.DeliverySent {
			t.Errorf("reminder delivery %+v", d)
		}
	}
}
