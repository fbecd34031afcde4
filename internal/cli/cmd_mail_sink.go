package cli

import (
	"context"
	"log/slog"
	"time"

	"integritas/config"
	"integritas/mail"
	"integritas/survey"
)

// startMailSink is startMail for trying the cycle locally: the worker
// "sends" into an in-memory outbox that admins read at /admin/outbox, so
// invitations, reminders and packets arrive without an SMTP server and
// nothing leaves the machine.
func startMailSink(ctx context.Context, cfg *config.Config, st *survey.Store, log *slog.Logger, now func() time.Time) (*mail.Mailer, *mail.Outbox, error) {
	m, err := newMailer(cfg, st)
	if err != nil {
		return nil, nil, err
	}
	out := mail.NewOutbox(0, now)
	m.W = mail.NewWorker(st, out, mail.Options{PerMinute: 6000, Poll: 2 * time.Second, Now: now, Log: log})
	go m.W.Run(ctx)
	log.Info("mail: local sink; outgoing mail is kept in the outbox at /admin/outbox and not sent")
	return m, out, nil
}
