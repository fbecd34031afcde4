package mail

import (
	"context"
	"sync"
	"time"
)

// Outbox is a Sender that keeps messages in memory instead of sending them:
// the local mail sink of `integritas demo` and `serve --mail-sink`, so a
// newcomer sees invitations, reminders and packets arrive without an SMTP
// server. Messages live only in the process (never in the database, since
// an invitation's body holds its personal link) and the oldest are dropped
// past the limit.
type Outbox struct {
	mu    sync.Mutex
	limit int
	now   func() time.Time
	msgs  []Kept
}

// Kept is a message the outbox received.
type Kept struct {
	Message
	At time.Time
}

// NewOutbox returns an outbox keeping at most limit messages (default 1000).
func NewOutbox(limit int, now func() time.Time) *Outbox {
	if limit <= 0 {
		limit = 1000
	}
	if now == nil {
		now = time.Now
	}
	return &Outbox{limit: limit, now: now}
}

// Send keeps the message.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, Kept{Message: m, At: o.now()})
	if len(o.msgs) > o.limit {
		o.msgs = append([]Kept(nil), o.msgs[len(o.msgs)-o.limit:]...)
	}
	return nil
}

// Messages returns the kept messages, newest first.
func (o *Outbox) Messages() []Kept {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]Kept, len(o.msgs))
	for i, m := range o.msgs {
		out[len(o.msgs)-1-i] = m
	}
	return out
}
