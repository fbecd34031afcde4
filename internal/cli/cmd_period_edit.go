package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"integritas/survey"
)

// optString is a string flag that knows whether it was given, so an edit
// changes only the fields named on the command line.
type optString struct {
	v   string
	set bool
}

func (o *optString) String() string     { return o.v }
func (o *optString) Set(v string) error { o.v, o.set = v, true; return nil }
func (o *optString) ptr() *string {
	if o.set {
		return &o.v
	}
	return nil
}
func optVar(fs *flag.FlagSet, name, usage string) *optString {
	o := &optString{}
	fs.Var(o, name, usage)
	return o
}

func cmdPeriodEdit(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("period edit")
	code := fs.String("period", "", "period code")
	name := optVar(fs, "name", "new display name")
	opens := optVar(fs, "opens", "new opening date YYYY-MM-DD (empty: none)")
	closes := optVar(fs, "closes", "new closing date YYYY-MM-DD (empty: none)")
	settingsFile := fs.String("settings", "", "method settings JSON file replacing the period's settings")
	instrument := fs.String("instrument", "", "instrument JSON file replacing the period's instrument")
	st, _, err := cl.open(ctx, fs, cfg, args, "period")
	if err != nil {
		return err
	}
	defer st.Close()
	e := survey.PeriodEdit{Name: name.ptr(), OpensOn: opens.ptr(), ClosesOn: closes.ptr()}
	if err := cl.checkDates(opens.v, closes.v); err != nil {
		return err
	}
	if *settingsFile != "" {
		b, err := cl.readSettings(*settingsFile)
		if err != nil {
			return err
		}
		e.Settings = json.RawMessage(b)
	}
	if *instrument != "" {
		if e.Instrument, err = os.ReadFile(*instrument); err != nil {
			return cl.wrap(err, "cli.period.instrument")
		}
	}
	p, err := st.EditDraftPeriod(ctx, *code, e)
	if err != nil {
		return cl.wrap(err, "cli.period.edit_failed", "Code", *code)
	}
	st.Audit(ctx, "cli", "period.edit", "period:"+p.Code, fmt.Sprintf("name %q, opens %s, closes %s", p.Name, p.OpensOn, p.ClosesOn))
	cl.say("cli.period.edited", "Code", p.Code, "Name", p.Name, "Opens", p.OpensOn, "Closes", p.ClosesOn,
		"Instrument", fmt.Sprintf("%s v%d", p.Instrument.Code, p.Instrument.Version), "Status", cl.t("cli.status."+p.Status))
	return nil
}

func cmdPeriodExtend(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("period extend")
	code := fs.String("period", "", "period code")
	closes := fs.String("closes", "", "new closing date YYYY-MM-DD (later than the current one)")
	st, _, err := cl.open(ctx, fs, cfg, args, "period", "closes")
	if err != nil {
		return err
	}
	defer st.Close()
	old, err := st.Period(ctx, *code)
	if err != nil {
		return cl.wrap(err, "cli.period.load", "Code", *code)
	}
	if err := cl.checkDates("", *closes); err != nil {
		return err
	}
	if old.ClosesOn != "" && *closes < old.ClosesOn {
		return cl.fail("cli.period.extend_earlier", "Code", *code, "Closes", *closes, "Current", old.ClosesOn)
	}
	p, err := st.ExtendPeriod(ctx, *code, *closes)
	if err != nil {
		return cl.wrap(err, "cli.period.extend_failed", "Code", *code)
	}
	st.Audit(ctx, "cli", "period.extend", "period:"+p.Code, fmt.Sprintf("closes %s → %s", old.ClosesOn, p.ClosesOn))
	cl.say("cli.period.extended", "Code", p.Code, "Closes", p.ClosesOn, "Was", old.ClosesOn)
	return nil
}

func cmdPeriodDelete(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("period delete")
	code := fs.String("period", "", "period code")
	st, _, err := cl.open(ctx, fs, cfg, args, "period")
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.DeletePeriod(ctx, *code); err != nil {
		return cl.wrap(err, "cli.period.delete_failed", "Code", *code)
	}
	st.Audit(ctx, "cli", "period.delete", "period:"+*code, "")
	cl.say("cli.period.deleted", "Code", *code)
	return nil
}
