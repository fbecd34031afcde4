package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	"integritas/analysis"
	"integritas/assets"
	"integritas/survey"
)

func cmdPeriodCreate(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("period create")
	code := fs.String("code", "", "period code, e.g. SPI-2026")
	name := fs.String("name", "", "display name (default: the code)")
	instrument := fs.String("instrument", "", "instrument JSON file (default: the built-in SPI instrument)")
	settingsFile := fs.String("settings", "", "method settings JSON file (default: all defaults)")
	opens := fs.String("opens", "", "opening date YYYY-MM-DD")
	closes := fs.String("closes", "", "closing date YYYY-MM-DD")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if err := need("code", *code); err != nil {
		return err
	}
	def := assets.DefaultInstrument()
	if *instrument != "" {
		b, err := os.ReadFile(*instrument)
		if err != nil {
			return err
		}
		def = b
	}
	settings := json.RawMessage("{}")
	if *settingsFile != "" {
		b, err := os.ReadFile(*settingsFile)
		if err != nil {
			return err
		}
		if _, err := analysis.ParseSettings(b); err != nil {
			return fmt.Errorf("%s: %w", *settingsFile, err)
		}
		settings = b
	}
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: *code, Name: *name, Instrument: def, Settings: settings, OpensOn: *opens, ClosesOn: *closes})
	if err != nil {
		return err
	}
	if err := st.Audit(ctx, "cli", "period.create", "period:"+p.Code, fmt.Sprintf("instrument %s v%d", p.Instrument.Code, p.Instrument.Version)); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	fmt.Fprintf(cl.stdout, "created period %s (%s), instrument %s v%d with %d items, status %s\n",
		p.Code, p.Name, p.Instrument.Code, p.Instrument.Version, len(p.Instrument.Items), p.Status)
	return nil
}

func cmdPeriodOpen(cl *cli, ctx context.Context, args []string) error {
	return setStatus(cl, ctx, "period open", survey.StatusOpen, args)
}

func cmdPeriodClose(cl *cli, ctx context.Context, args []string) error {
	return setStatus(cl, ctx, "period close", survey.StatusClosed, args)
}

func setStatus(cl *cli, ctx context.Context, name, status string, args []string) error {
	fs, cfg := cl.flags(name)
	code := fs.String("period", "", "period code")
	st, _, err := cl.open(ctx, fs, cfg, args, "period")
	if err != nil {
		return err
	}
	defer st.Close()
	set := st.SetPeriodStatus
	if status == survey.StatusOpen {
		set = func(ctx context.Context, code, _ string) error { return st.OpenPeriod(ctx, code) }
	}
	if err := set(ctx, *code, status); err != nil {
		return err
	}
	if err := st.Audit(ctx, "cli", "period."+status, "period:"+*code, ""); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	fmt.Fprintf(cl.stdout, "period %s is now %s\n", *code, status)
	return nil
}

func cmdPeriodList(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("period list")
	st, _, err := cl.open(ctx, fs, cfg, args)
	if err != nil {
		return err
	}
	defer st.Close()
	ps, err := st.Periods(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(cl.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CODE\tNAME\tSTATUS\tOPENS\tCLOSES\tINSTRUMENT")
	for _, p := range ps {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s v%d\n", p.Code, p.Name, p.Status, p.OpensOn, p.ClosesOn, p.Instrument.Code, p.Instrument.Version)
	}
	return w.Flush()
}
