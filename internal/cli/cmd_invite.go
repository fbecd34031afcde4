package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"integritas/survey"
)

func cmdInvite(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("invite")
	period := fs.String("period", "", "period code")
	unit := fs.String("unit", "", "unit code")
	typ := fs.String("type", "", "respondent type: internal or expert")
	count := fs.Int("count", 0, "number of invitations (1 to 10000)")
	fromRoster := fs.Bool("from-roster", false, "one invitation per roster entry of the unit and type, instead of --count")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s: integritas invite --period C --unit U --type internal|expert --count N [--base-url URL]\n\n%s\n\n%s:\n",
			cl.t("cli.usage.word"), cl.t("cli.invite.about"), cl.t("cli.usage.flags"))
		fs.PrintDefaults()
	}
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"period", *period}, {"unit", *unit}, {"type", *typ}} {
		if err := cl.need(f.name, f.v); err != nil {
			return err
		}
	}
	if *typ != survey.Internal && *typ != survey.Expert {
		return cl.fail("cli.invite.type", "Value", strconv.Quote(*typ), "Open", "/r/"+*period+"/"+*unit)
	}
	if !*fromRoster && (*count < 1 || *count > 10000) {
		return cl.fail("cli.invite.count")
	}
	st, p, err := cl.openPeriod(ctx, cfg, *period)
	if err != nil {
		return err
	}
	defer st.Close()
	want, err := cl.invitationsWanted(ctx, st, p, *unit, *typ, *count, *fromRoster)
	if err != nil {
		return cl.inviteErr(err, p, *unit, *typ)
	}
	issued, err := st.CreateInvitations(ctx, p.ID, want)
	if err != nil {
		return cl.inviteErr(err, p, *unit, *typ)
	}
	if err := st.Audit(ctx, "cli", "invitations.create", "period:"+p.Code, fmt.Sprintf("unit %s, %s, %d invitations", *unit, *typ, len(issued))); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	for _, inv := range issued {
		if *fromRoster {
			fmt.Fprintf(cl.stdout, "%s\t%s\n", inv.Contact, link(cfg.BaseURL, inv.Token))
		} else {
			fmt.Fprintln(cl.stdout, link(cfg.BaseURL, inv.Token))
		}
	}
	return nil
}

// invitationsWanted lists the invitations to make: count anonymous ones, or
// one per roster entry.
func (cl *cli) invitationsWanted(ctx context.Context, st *survey.Store, p *survey.Period, unit, typ string, count int, fromRoster bool) ([]survey.NewInvitation, error) {
	if !fromRoster {
		want := make([]survey.NewInvitation, count)
		for i := range want {
			want[i] = survey.NewInvitation{UnitCode: unit, Type: typ}
		}
		return want, nil
	}
	u, err := st.Unit(ctx, p.ID, unit)
	if err != nil {
		return nil, err
	}
	roster, err := st.Roster(ctx, p.ID, u.ID, typ)
	if err != nil {
		return nil, err
	}
	if len(roster) == 0 {
		return nil, cl.fail("cli.invite.no_roster", "Unit", unit, "Type", typ, "Period", p.Code)
	}
	want := make([]survey.NewInvitation, 0, len(roster))
	for _, r := range roster {
		contact := r.Email
		if contact == "" {
			contact = r.Phone
		}
		want = append(want, survey.NewInvitation{UnitCode: unit, Type: typ, RosterID: r.ID, Contact: contact})
	}
	return want, nil
}

func link(base, token string) string { return strings.TrimRight(base, "/") + "/s/" + token }

func cmdInvitationsExport(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("invitations export")
	period := fs.String("period", "", "period code")
	unit := fs.String("unit", "", "only this unit's invitations (default: all units)")
	out := fs.String("out", "", "CSV file to write, created 0600 (default: standard output)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s: integritas invitations export --period C [--unit U] [--out FILE] [--base-url URL]\n\n%s\n\n%s:\n",
			cl.t("cli.usage.word"), cl.t("cli.invitations_export.about"), cl.t("cli.usage.flags"))
		fs.PrintDefaults()
	}
	st, _, err := cl.open(ctx, fs, cfg, args, "period")
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := st.Period(ctx, *period)
	if err != nil {
		return cl.wrap(err, "cli.period.load", "Code", *period)
	}
	var w io.Writer = cl.stdout
	if *out != "" {
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return cl.wrap(err, "cli.export.write", "File", *out)
		}
		defer f.Close()
		w = f
	}
	issued, used, err := st.ReissueInvitations(ctx, p.ID, *unit)
	if err != nil {
		return err
	}
	if err := st.Audit(ctx, "cli", "invitations.export", "period:"+p.Code, fmt.Sprintf("unit %q: %d links reissued, %d used skipped", *unit, len(issued), used)); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"unit", "type", "contact", "link"})
	for _, inv := range issued {
		cw.Write([]string{inv.UnitCode, inv.Type, csvSafe(inv.Contact), link(cfg.BaseURL, inv.Token)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	fmt.Fprintln(cl.stderr, cl.t("cli.invitations_export.done", "Count", len(issued), "Used", used))
	return nil
}

// csvSafe keeps a spreadsheet from reading a contact as a formula; phone
// numbers such as +62 812-3456-7890 stay as they are.
func csvSafe(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) || phoneLike(s) {
		return s
	}
	return "'" + s
}

func phoneLike(s string) bool {
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == ' ' || r == '-' || r == '(' || r == ')' || (r == '+' && i == 0)) {
			return false
		}
	}
	return true
}

// inviteErr words an invitation failure for the terminal.
func (cl *cli) inviteErr(err error, p *survey.Period, unit, typ string) error {
	var me *msgError
	switch {
	case errors.As(err, &me):
		return err
	case errors.Is(err, survey.ErrNotFound):
		return cl.fail("cli.invite.no_unit", "Unit", unit, "Period", p.Code)
	}
	return cl.wrap(err, "cli.invite.failed")
}
