package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"integritas/assets"
	"integritas/internal/demo"
	"integritas/internal/pgdb"
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
		cl.say("cli.demo.existing", "DB", pgdb.Redact(cfg.DB))
	case err != nil:
		return err
	default:
		cl.say("cli.demo.built", "DB", pgdb.Redact(cfg.DB), "Units", sum.Units, "Roster", sum.Roster, "Previous", sum.Responses[demo.Previous],
			"Current", sum.Responses[demo.Current], "PreviousCode", demo.Previous, "CurrentCode", demo.Current)
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
		cl.say("cli.demo.invitation", "Link", link)
		return nil
	}
	return serve(ctx, cl, cfg, st, func(addr string) {
		fmt.Fprintln(cl.stdout)
		cl.say("cli.demo.running", "URL", cfg.BaseURL+"/")
		cl.say("cli.demo.logins")
		for _, l := range demo.Logins {
			fmt.Fprintf(cl.stdout, "    %-30s %-22s %s %s\n", l.Email, l.Password, l.Role, strings.Join(l.Units, ","))
		}
		base, cur := cfg.BaseURL, demo.Current
		for _, row := range [][2]string{{"cli.demo.link.invitation", link}, {"cli.demo.link.open", base + "/r/" + cur + "/DISDUKCAPIL"},
			{"cli.demo.link.dashboard", base + "/dash"}, {"cli.demo.link.outbox", base + "/admin/outbox"},
			{"cli.demo.link.whatsapp", base + "/inspectorate/" + cur + "/whatsapp"}, {"cli.demo.link.posters", base + "/inspectorate/" + cur + "/openlinks"}} {
			fmt.Fprintf(cl.stdout, "  %-44s %s\n", cl.t(row[0])+":", row[1])
		}
		cl.say("cli.demo.stop")
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
