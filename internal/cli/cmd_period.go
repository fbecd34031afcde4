package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

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
	if err := cl.need("code", *code); err != nil {
		return err
	}
	if err := cl.checkDates(*opens, *closes); err != nil {
		return err
	}
	def := assets.DefaultInstrument()
	if *instrument != "" {
		b, err := os.ReadFile(*instrument)
		if err != nil {
			return cl.wrap(err, "cli.period.instrument")
		}
		def = b
	}
	settings := json.RawMessage("{}")
	if *settingsFile != "" {
		b, err := cl.readSettings(*settingsFile)
		if err != nil {
			return err
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
		return cl.wrap(err, "cli.period.create_failed", "Code", *code)
	}
	if err := st.Audit(ctx, "cli", "period.create", "period:"+p.Code, fmt.Sprintf("instrument %s v%d", p.Instrument.Code, p.Instrument.Version)); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.period.created", "Code", p.Code, "Name", p.Name, "Instrument", fmt.Sprintf("%s v%d", p.Instrument.Code, p.Instrument.Version),
		"Items", len(p.Instrument.Items), "Status", cl.t("cli.status."+p.Status))
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
		if errors.Is(err, survey.ErrPastClosing) {
			p, _ := st.Period(ctx, *code)
			return cl.fail("cli.period.open_past_closing", "Code", *code, "Closes", p.ClosesOn, "Today", cl.now().UTC().Format(time.DateOnly))
		}
		return cl.wrap(err, "cli.period.status_failed", "Code", *code)
	}
	if err := st.Audit(ctx, "cli", "period."+status, "period:"+*code, ""); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.period.status", "Code", *code, "Status", cl.t("cli.status."+status))
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
	fmt.Fprintln(w, cl.t("cli.period.list.header"))
	for _, p := range ps {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s v%d\n", p.Code, p.Name, cl.t("cli.status."+p.Status), p.OpensOn, p.ClosesOn, p.Instrument.Code, p.Instrument.Version)
	}
	return w.Flush()
}

// readSettings reads and checks a method settings file.
func (cl *cli) readSettings(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, cl.wrap(err, "cli.period.settings_file")
	}
	if _, err := analysis.ParseSettings(b); err != nil {
		return nil, cl.fail("cli.period.settings_invalid", "File", path, "Detail", err.Error())
	}
	return b, nil
}

// checkDates refuses a date flag that is not YYYY-MM-DD, or an opening
// date after the closing date, before the store is asked.
func (cl *cli) checkDates(opens, closes string) error {
	for _, d := range [][2]string{{"--opens", opens}, {"--closes", closes}} {
		if _, err := time.Parse(time.DateOnly, d[1]); d[1] != "" && err != nil {
			return cl.fail("cli.period.date_invalid", "Flag", d[0], "Value", d[1])
		}
	}
	if opens != "" && closes != "" && opens > closes {
		return cl.fail("cli.period.dates_order", "Opens", opens, "Closes", closes)
	}
	return nil
}
