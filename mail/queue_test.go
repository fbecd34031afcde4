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

// Invitations carry their personal link until sent, then the body is
// blanked; a queue left by a stopped worker is sent by the next one; a
// message that keeps failing ends as failed with its reason.
func TestInvitationQueueSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	st := demoStore(t)
	p, _ := st.Period(ctx, demo.Current)
	ib := newInbox(t)
	m, _, _ := testMailer(t, st, ib, 6000)
	token := strings.Repeat("T", 43)
	invs := []Invitee{
		{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", Type: survey.Internal, Contact: "budi@dinkes.example", Token: token},
		{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", Type: survey.Expert, Contact: "ahli@kampus.example", Token: strings.Repeat("U", 43)},
		{UnitCode: "DINKES", UnitName: "Dinas Kesehatan", Type: survey.Internal, Contact: "0812-3456-789", Token: strings.Repeat("V", 43)},
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
		if !strings.Contains(d.Text, "/s/") {
			t.Fatal("a queued invitation lost its link before it was sent")
		}
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
	if !strings.Contains(subject, "SPI 2026") || !strings.Contains(text, "https://spi.sukamaju.example/s/"+token) || !strings.Contains(text, "Dinas Kesehatan") {
		t.Errorf("invitation: %q\n%s", subject, text)
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
	if len(log) != 1 || log[0].Status != survey.DeliveryFailed || log[0].Attempts != 3 || log[0].Text != "" || log[0].LastError == "" {
		t.Errorf("a hopeless reminder: %+v", log)
	}
}

func mustSMTP(t *testing.T, ib *inbox) Sender {
	t.Helper()
	_, w, _ := testMailer(t, nil, ib, 6000)
	return w.send
}
