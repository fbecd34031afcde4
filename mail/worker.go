package mail

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/time/rate"

	"integritas/survey"
)

// Worker sends queued deliveries in the background.
type Worker struct {
	st          *survey.Store
	send        Sender
	lim         *rate.Limiter
	now         func() time.Time
	log         *slog.Logger
	wake        chan struct{}
	maxAttempts int
	backoff     func(attempt int) time.Duration
	poll        time.Duration
	lease       time.Duration
}

// Options configure a Worker; zero fields take the defaults.
type Options struct {
	PerMinute   int                             // sending rate, default 60
	MaxAttempts int                             // attempts before a message fails for good, default 6
	Backoff     func(attempt int) time.Duration // wait after the n-th failed attempt, default 1 min · 2^(n−1) up to 1 h
	Poll        time.Duration                   // how often the queue is looked at without a wake-up, default 30 s
	Now         func() time.Time
	Log         *slog.Logger
}

// sendTimeout bounds one message's send; a claim's lease is a minute longer.
const sendTimeout = 2 * time.Minute

// Backoff is the default: one minute after the first failure, doubling, at most an hour.
func Backoff(attempt int) time.Duration {
	d := time.Minute << min(max(attempt-1, 0), 6)
	return min(d, time.Hour)
}

// NewWorker returns a worker over the store's delivery queue.
func NewWorker(st *survey.Store, send Sender, o Options) *Worker {
	if o.PerMinute <= 0 {
		o.PerMinute = 60
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 6
	}
	if o.Backoff == nil {
		o.Backoff = Backoff
	}
	if o.Poll <= 0 {
		o.Poll = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Worker{st: st, send: send, lim: rate.NewLimiter(rate.Every(time.Minute/time.Duration(o.PerMinute)), 1),
		now: o.Now, log: o.Log, wake: make(chan struct{}, 1), maxAttempts: o.MaxAttempts, backoff: o.Backoff,
		poll: o.Poll, lease: sendTimeout + time.Minute}
}

// Wake makes a running worker look at the queue now.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends due messages until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.poll)
	defer t.Stop()
	for {
		if _, err := w.Drain(ctx); err != nil && ctx.Err() == nil {
			w.log.Error("mail queue", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
	}
}

// Drain sends every message due now, at the worker's rate, and returns how
// many were sent. Failed attempts are logged on the delivery and retried later.
//
// It claims one message at a time, after waiting for the rate limiter, with
// a lease just longer than one send may take: a claimed message is never
// left waiting behind others while its lease runs out (a second sender would
// then send it too), and after a crash it is due again within minutes.
func (w *Worker) Drain(ctx context.Context) (sent int, err error) {
	for {
		if err := w.lim.Wait(ctx); err != nil {
			return sent, err
		}
		batch, err := w.st.ClaimDueDeliveries(ctx, w.now(), w.lease, 1)
		if err != nil {
			return sent, err
		}
		if len(batch) == 0 {
			return sent, nil
		}
		ok, err := w.deliver(ctx, batch[0])
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
}

// deliver sends one message and logs the outcome; err is a store failure.
func (w *Worker) deliver(ctx context.Context, d survey.Delivery) (bool, error) {
	m := Message{ID: MessageID(d), To: d.Recipient, Subject: d.Subject, Text: d.Text, HTML: d.HTML}
	var sendErr error
	if d.Attach && d.BuildID != 0 {
		b, err := w.st.PacketBuild(ctx, d.BuildID)
		if err != nil {
			sendErr = fmt.Errorf("packet %d: %w", d.BuildID, err)
		} else {
			m.Attachments = []Attachment{{Name: b.UnitCode + ".zip", Data: b.Data}}
		}
	}
	if sendErr == nil {
		sctx, cancel := context.WithTimeout(ctx, sendTimeout)
		sendErr = w.send.Send(sctx, m)
		cancel()
	}
	// The outcome is recorded even when the worker is stopping: a sent
	// message must not be sent again.
	ctx = context.WithoutCancel(ctx)
	if sendErr == nil {
		w.log.Info("mail sent", "delivery", d.ID, "kind", d.Kind)
		return true, w.st.DeliverySent(ctx, d.ID)
	}
	attempt := d.Attempts + 1
	final := attempt >= w.maxAttempts
	w.log.Warn("mail failed", "delivery", d.ID, "kind", d.Kind, "attempt", attempt, "final", final, "err", sendErr)
	return false, w.st.DeliveryFailed(ctx, d.ID, sendErr.Error(), w.now().Add(w.backoff(attempt)), final)
}
