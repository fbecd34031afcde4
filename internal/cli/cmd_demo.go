package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"integritas/assets"
	"integritas/internal/demo"
	"integritas/survey"
)

func cmdDemo(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("demo")
	seed := fs.Uint64("seed", 2026, "random seed of the generated city (the same seed gives the same city)")
	noServe := fs.Bool("no-serve", false, "build the demo database and exit")
	if !flagSet(args, "db") && cl.getenv("INTEGRITAS_DB") == "" {
		cfg.DB = "integritas-demo.db"
	}
	st, _, err := cl.open(ctx, fs, cfg, args)
	if err != nil {
		return err
	}
	if cfg.SMTPHost == "" { // a newcomer sees the mail arrive in /admin/outbox
		cfg.MailSink = true
	}
	defer st.Close()
	sum, err := demo.Build(ctx, st, demo.Options{Seed: *seed, Now: cl.now(), Instrument: assets.DefaultInstrument()})
	if err == nil || errors.Is(err, demo.ErrExists) {
		if cerr := demoChannels(ctx, cfg, st, err == nil); cerr != nil {
			return cerr
		}
	}
	switch {
	case errors.Is(err, demo.ErrExists):
		fmt.Fprintf(cl.stdout, "Using the existing demo city in %s (delete the file to rebuild it).\n", cfg.DB)
	case err != nil:
		return err
	default:
		fmt.Fprintf(cl.stdout, "Built the demo city Kota Sukamaju in %s: %d units, %d roster rows, %d + %d responses (%s, %s).\n",
			cfg.DB, sum.Units, sum.Roster, sum.Responses[demo.Previous], sum.Responses[demo.Current], demo.Previous, demo.Current)
	}
	// A fresh invitation each start: tokens are stored only as hashes, so an
	// earlier run's link cannot be printed again.
	link := ""
	if p, err := st.Period(ctx, demo.Current); err == nil {
		inv, err := st.CreateInvitations(ctx, p.ID, []survey.NewInvitation{{UnitCode: "DINKES", Type: survey.Internal}})
		if err != nil {
			return err
		}
		link = cfg.BaseURL + "/s/" + inv[0].Token
	}
	if *noServe {
		fmt.Fprintln(cl.stdout, "Invitation link (one-time):", link)
		return nil
	}
	return serve(ctx, cl, cfg, st, func(addr string) {
		fmt.Fprintf(cl.stdout, "\nIntegritas demo is running. Open %s/\n", cfg.BaseURL)
		fmt.Fprintln(cl.stdout, "  Logins (e-mail / password):")
		for _, l := range demo.Logins {
			fmt.Fprintf(cl.stdout, "    %-30s %-22s %s %s\n", l.Email, l.Password, l.Role, strings.Join(l.Units, ","))
		}
		fmt.Fprintf(cl.stdout, "  Invitation link (one-time, internal, DINKES): %s\n", link)
		fmt.Fprintf(cl.stdout, "  Open link (public, DISDUKCAPIL):               %s/r/%s/DISDUKCAPIL\n", cfg.BaseURL, demo.Current)
		fmt.Fprintf(cl.stdout, "  Dashboard:                                     %s/dash\n", cfg.BaseURL)
		fmt.Fprintf(cl.stdout, "  Outbox (mail is kept here, not sent):          %s/admin/outbox\n", cfg.BaseURL)
		fmt.Fprintf(cl.stdout, "  WhatsApp list, posters:                        %s/inspectorate/%s/whatsapp, …/openlinks\n", cfg.BaseURL, demo.Current)
		fmt.Fprintln(cl.stdout, "Press Ctrl+C to stop.")
	})
}

// flagSet reports whether args set the named flag.
func flagSet(args []string, name string) bool {
	for _, a := range args {
		if a == "-"+name || a == "--"+name || len(a) > len(name)+2 && (a[:len(name)+2] == "-"+name+"=" || a[:len(name)+3] == "--"+name+"=") {
			return true
		}
	}
	return false
}
