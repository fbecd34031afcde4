package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"integritas/assets"
	"integritas/config"
	"integritas/locale"
	"integritas/mail"
	"integritas/survey"
)

func cmdMailSend(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("mail send")
	st, _, err := cl.open(ctx, fs, cfg, args)
	if err != nil {
		return err
	}
	defer st.Close()
	sender, err := mail.NewSMTP(*cfg)
	if errors.Is(err, mail.ErrNotConfigured) {
		return cl.fail("cli.mail.not_configured")
	}
	if err != nil {
		return cl.wrap(err, "cli.mail.smtp")
	}
	w := mail.NewWorker(st, sender, mail.Options{PerMinute: cfg.MailPerMin, Now: cl.now, Log: cl.logger(cfg)})
	n, err := w.Drain(ctx)
	cl.say("cli.mail.sent", "Count", n)
	if err != nil {
		return cl.wrap(err, "cli.mail.send_failed")
	}
	return nil
}

func cmdMailLog(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("mail log")
	period := fs.String("period", "", "period code")
	kind := fs.String("kind", "", "invitation, reminder or packet (default: all)")
	limit := fs.Int("limit", 100, "at most this many, newest first")
	st, _, err := cl.open(ctx, fs, cfg, args, "period")
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := st.Period(ctx, *period)
	if err != nil {
		return cl.wrap(err, "cli.period.load", "Code", *period)
	}
	ds, err := st.Deliveries(ctx, p.ID, *kind, *limit)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(cl.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, cl.t("cli.mail.log.header"))
	for _, d := range ds {
		sent := ""
		if !d.SentAt.IsZero() {
			sent = d.SentAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.ID, d.Kind, d.UnitCode, d.Recipient, d.Status, d.Attempts, sent, d.LastError)
	}
	return tw.Flush()
}

func cmdMailRemind(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("mail remind")
	period := fs.String("period", "", "period code")
	unit := fs.String("unit", "", "only this unit (default: every unit)")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if err := cl.need("period", *period); err != nil {
		return err
	}
	st, p, err := cl.openPeriod(ctx, cfg, *period)
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := newMailer(cfg, st)
	if err != nil {
		return err
	}
	n, err := m.Remind(ctx, p, *unit, cl.lang)
	if err != nil {
		return cl.wrap(err, "cli.mail.remind_failed")
	}
	if err := st.Audit(ctx, "cli", "invitation.remind", "period:"+p.Code, fmt.Sprintf("unit %q: %d reminders queued (%s)", *unit, n, cl.lang)); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.mail.reminded", "Count", n)
	return nil
}

// newMailer renders and queues messages; sending is the worker's job.
func newMailer(cfg *config.Config, st *survey.Store) (*mail.Mailer, error) {
	bundle, err := locale.Load(assets.FS)
	if err != nil {
		return nil, err
	}
	c, err := mail.NewComposer(assets.FS, bundle, cfg.Inspectorate)
	if err != nil {
		return nil, err
	}
	return &mail.Mailer{St: st, C: c, BaseURL: cfg.BaseURL}, nil
}

// startMail builds the inspectorate's mailer and, when SMTP is configured,
// starts its worker until ctx ends; the queue in the database survives a
// restart, so a stop loses nothing.
func startMail(ctx context.Context, cfg *config.Config, st *survey.Store, log *slog.Logger, now func() time.Time) (*mail.Mailer, error) {
	m, err := newMailer(cfg, st)
	if err != nil {
		return nil, err
	}
	sender, err := mail.NewSMTP(*cfg)
	if errors.Is(err, mail.ErrNotConfigured) {
		log.Warn("mail: no SMTP server configured; e-mail waits in the queue")
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	m.W = mail.NewWorker(st, sender, mail.Options{PerMinute: cfg.MailPerMin, Now: now, Log: log})
	go m.W.Run(ctx)
	return m, nil
}
