package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"integritas/mail"
)

func cmdMailSend(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("mail send")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	sender, err := mail.NewSMTP(*cfg)
	if err != nil {
		return err
	}
	w := mail.NewWorker(st, sender, mail.Options{PerMinute: cfg.MailPerMin, Now: cl.now, Log: cl.logger(cfg)})
	n, err := w.Drain(ctx)
	fmt.Fprintf(cl.stdout, "%d messages sent\n", n)
	return err
}

func cmdMailLog(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("mail log")
	period := fs.String("period", "", "period code")
	kind := fs.String("kind", "", "invitation, reminder or packet (default: all)")
	limit := fs.Int("limit", 100, "at most this many, newest first")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if err := need("period", *period); err != nil {
		return err
	}
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := st.Period(ctx, *period)
	if err != nil {
		return err
	}
	ds, err := st.Deliveries(ctx, p.ID, *kind, *limit)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(cl.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tkind\tunit\trecipient\tstatus\tattempts\tsent\tlast error")
	for _, d := range ds {
		sent := ""
		if !d.SentAt.IsZero() {
			sent = d.SentAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.ID, d.Kind, d.UnitCode, d.Recipient, d.Status, d.Attempts, sent, d.LastError)
	}
	return tw.Flush()
}
