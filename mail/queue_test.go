package mail

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"integritas/internal/demo"
	"integritas/survey"
)

// failing is a sender whose server is down; it ends stop's context after
// the given number of calls, as if the process were stopped.
type failing struct {
	calls, after int
	stop         context.CancelFunc
}

func (f *failing) Send(context.Context, Message) error {
	f.calls++
	if f.stop != nil && f.calls >= f.after {
		f.stop()
	}
	return errors.New("dial tcp 127.0.0.1:1: connection refused")
}

// Queued invitations hold no live link (only the token slot); the token is
// minted when the message is handed to SMTP, and the body is blanked once
// sent; a queue left by a stopped worker is sent by the next one; a message
// that keeps failing ends as failed with its reason, a reminder only as a
// count.
func TestInvitationQueueSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	st := demoStore(t)
	p, _ := st.Period(ctx, demo.Current)
	ib := newInbox(t)
	m, _, _ := testMailer(t, st, ib, 6000)
	made, err := st.CreateInvitations(ctx, p.ID, []survey.NewInvitation{{UnitCode: "DINKES", Type: survey.Internal, Contact: "budi@dinkes.example"},
		{UnitCode: "DINKES", Type: survey.Expert, Contact: "ahli@kampus.example"}})
	if err != nil {
		t.Fatal(err)
	}
	ids := invitationIDs(t, st, p.ID, made)
	invs := []Invitee{
		{InvitationID: ids[0], UnitCode: "DINKES", UnitName: "Dinas Kesehatan", Type: survey.Internal, Contact: "budi@dinkes.example"},
		{InvitationID: ids[1], UnitCode: "DINKES", UnitName: "Dinas Kesehatan", Type: survey.Expert, Contact: "ahli@kampus.example"},
		{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", Type: survey.Internal, Contact: "0812-3456-789"},
	}
	queued, skipped, err := m.QueueInvites(ctx, p, survey.DeliveryInvitation, "id", invs)
	if err != nil || queued != 2 || skipped != 1 {
		t.Fatalf("queued %d, skipped %d, err %v; want 2, 1 (a phone number has no e-mail)", queued, skipped, err)
	}
	// The first worker cannot reach its server and stops.
	stopped, stop := context.WithCancel(ctx)
	down := &failing{after: 4, stop: stop}
	w1 := NewWorker(st, down, Options{PerMinute: 6000, MaxAttempts: 3, Backoff: func(int) time.Duration { return 0 }})
	w1.maxAttempts = 100 // keep them queued for the restart
	w1.Drain(stopped)
	log, _ := st.Deliveries(ctx, p.ID, survey.DeliveryInvitation, 0)
	for _, d := range log {
		if d.Status != survey.DeliveryQueued || d.Attempts == 0 || !strings.Contains(d.LastError, "connection refused") {
			t.Fatalf("after the outage: %+v", d)
		}
		if !strings.Contains(d.Text, "/s/"+TokenSlot) || strings.Contains(d.Text, made[0].Token) || strings.Contains(d.Text, made[1].Token) {
			t.Fatalf("a queued invitation must hold the token slot, never a token:\n%s", d.Text)
		}
	}
	// The failed attempts minted links that were never sent: the link the
	// person already has must still work.
	if inv, err := st.InvitationByToken(ctx, made[0].Token); err != nil || inv.ID != ids[0] {
		t.Errorf("after failed sends the existing link: %+v, %v", inv, err)
	}
	// A new worker (after a restart) sends the queue.
	w2 := NewWorker(st, mustSMTP(t, ib), Options{PerMinute: 6000, Backoff: func(int) time.Duration { return 0 }})
	if n, err := w2.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("sent %d, err %v", n, err)
	}
	msgs := ib.received("budi@dinkes.example")
	if len(msgs) != 1 {
		t.Fatalf("%d messages to budi", len(msgs))
	}
	subject, text, _ := parts(t, msgs[0])
	link := linkIn(text)
	if !strings.Contains(subject, "SPI 2026") || link == "" || !strings.Contains(text, "Dinas Kesehatan") {
		t.Fatalf("invitation: %q\n%s", subject, text)
	}
	// The minted link works; the one made with the invitation does not.
	if inv, err := st.InvitationByToken(ctx, link); err != nil || inv.ID != ids[0] {
		t.Errorf("the mailed link: %+v, %v", inv, err)
	}
	if _, err := st.InvitationByToken(ctx, made[0].Token); !errors.Is(err, survey.ErrNotFound) {
		t.Errorf("the link made before sending still works: %v", err)
	}
	log, _ = st.Deliveries(ctx, p.ID, survey.DeliveryInvitation, 0)
	for _, d := range log {
		if d.Status != survey.DeliverySent || d.Text != "" || d.HTML != "" {
			t.Errorf("sent invitation keeps its body (and link): %+v", d)
		}
	}
	// A message that keeps failing ends as failed, body blanked.
	if _, _, err := m.QueueInvites(ctx, p, survey.DeliveryReminder, "en", invs[:1]); err != nil {
		t.Fatal(err)
	}
	w3 := NewWorker(st, &failing{}, Options{PerMinute: 6000, MaxAttempts: 3, Backoff: func(int) time.Duration { return 0 }})
	if _, err := w3.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	log, _ = st.Deliveries(ctx, p.ID, survey.DeliveryReminder, 0)
	counts, _ := st.ReminderCounts(ctx, p.ID)
	if len(log) != 0 || len(counts) != 1 || counts[0].Failed != 1 || counts[0].Sent != 0 || counts[0].Type != survey.Internal {
		t.Errorf("a hopeless reminder: log %+v, counts %+v; want no row, one failed count", log, counts)
	}
}

// linkIn returns the token of the first personal link in a message.
func linkIn(text string) string {
	i := strings.Index(text, "/s/")
	if i < 0 || len(text) < i+3+43 {
		return ""
	}
	return text[i+3 : i+3+43]
}

// invitationIDs finds the ids of just-made invitations by their tokens.
func invitationIDs(t *testing.T, st *survey.Store, periodID int64, made []survey.IssuedInvitation) []int64 {
	t.Helper()
	out := make([]int64, len(made))
	for i, m := range made {
		inv, err := st.InvitationByToken(context.Background(), m.Token)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = inv.ID
	}
	return out
}

func mustSMTP(t *testing.T, ib *inbox) Sender {
	t.Helper()
	_, w, _ := testMailer(t, nil, ib, 6000)
	return w.send
}
