package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"integritas/survey"
)

// unitList is a repeatable --unit flag; commas also separate codes.
type unitList []string

func (u *unitList) String() string { return strings.Join(*u, ",") }

func (u *unitList) Set(v string) error {
	for _, code := range strings.Split(v, ",") {
		if code = strings.TrimSpace(code); code != "" {
			*u = append(*u, code)
		}
	}
	return nil
}

func cmdUserAdd(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("user add")
	email := fs.String("email", "", "the account's e-mail address (its login)")
	role := fs.String("role", "", "admin, inspector, analyst or viewer")
	name := fs.String("name", "", "display name")
	pwFile := fs.String("password-file", "", "read the password from this file's first line (default: ask on the terminal, or read one line from standard input)")
	var units unitList
	fs.Var(&units, "unit", "unit code a viewer may see (repeat, or separate with commas)")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if err := errors.Join(cl.need("email", *email), cl.need("role", *role)); err != nil {
		return err
	}
	if !survey.ValidRole(*role) {
		return cl.fail("cli.flag.choice", "Flag", "--role", "Value", *role, "Choices", "admin, inspector, analyst, viewer")
	}
	pw, err := cl.readPassword(*pwFile)
	if err != nil {
		return err
	}
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.CreateUser(ctx, survey.NewUser{Email: *email, Name: *name, Role: *role, Password: pw, Units: units})
	if err != nil {
		return cl.accountErr(err)
	}
	if err := st.Audit(ctx, "cli", "user.create", "user:"+u.Email, accessDetail(u.Role, u.Units)); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.user.created", "Email", u.Email, "Access", accessDetail(u.Role, u.Units))
	return nil
}

func cmdUserList(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("user list")
	st, _, err := cl.open(ctx, fs, cfg, args)
	if err != nil {
		return err
	}
	defer st.Close()
	us, err := st.Users(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(cl.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, cl.t("cli.user.list.header"))
	for _, u := range us {
		state := cl.t("cli.user.state.active")
		if u.Disabled {
			state = cl.t("cli.user.state.disabled")
		} else if u.LockedUntil.After(cl.now()) {
			state = cl.t("cli.user.state.locked", "Until", u.LockedUntil.UTC().Format("2006-01-02 15:04 UTC"))
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Name, u.Role, strings.Join(u.Units, ","), state)
	}
	return w.Flush()
}

func cmdUserDisable(cl *cli, ctx context.Context, args []string) error {
	return setUserDisabled(cl, ctx, "user disable", true, args)
}

func cmdUserEnable(cl *cli, ctx context.Context, args []string) error {
	return setUserDisabled(cl, ctx, "user enable", false, args)
}

func setUserDisabled(cl *cli, ctx context.Context, name string, disabled bool, args []string) error {
	fs, cfg := cl.flags(name)
	email := fs.String("email", "", "the account's e-mail address")
	st, _, err := cl.open(ctx, fs, cfg, args, "email")
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, *email)
	if err != nil {
		return cl.wrap(err, "cli.user.load", "Email", *email)
	}
	if err := st.SetUserDisabled(ctx, u.ID, disabled); err != nil {
		return err
	}
	action, msg := "user.enable", "cli.user.enabled"
	if disabled {
		action, msg = "user.disable", "cli.user.disabled"
	}
	if err := st.Audit(ctx, "cli", action, "user:"+u.Email, ""); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say(msg, "Email", u.Email)
	return nil
}

func cmdUserResetPassword(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("user reset-password")
	email := fs.String("email", "", "the account's e-mail address")
	pwFile := fs.String("password-file", "", "read the new password from this file's first line (default: ask, or read standard input)")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if err := cl.need("email", *email); err != nil {
		return err
	}
	pw, err := cl.readPassword(*pwFile)
	if err != nil {
		return err
	}
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, *email)
	if err != nil {
		return cl.wrap(err, "cli.user.load", "Email", *email)
	}
	if err := st.SetPassword(ctx, u.ID, pw); err != nil {
		return cl.accountErr(err)
	}
	if err := st.Audit(ctx, "cli", "user.password_reset", "user:"+u.Email, ""); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.user.password_reset", "Email", u.Email)
	return nil
}

// readPassword reads a password from a file's first line, else from the
// terminal without echo (asked twice), else one line of standard input.
func (cl *cli) readPassword(file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", cl.wrap(err, "cli.user.password_file")
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimRight(line, "\r"), nil
	}
	if f, ok := cl.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(cl.stderr, cl.t("cli.user.password_prompt", "Min", survey.MinPasswordLen)+" ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(cl.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(cl.stderr, cl.t("cli.user.password_again")+" ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(cl.stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", cl.fail("cli.user.password_differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(cl.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", cl.fail("cli.user.password_none")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// accountMessages are the refusals of an account change the command line
// words itself (cli.account.<field>.<code>).
var accountMessages = []string{"email.invalid", "email.disabled", "role.invalid", "name.too_long", "name.control", "expires.invalid",
	"password.too_short", "password.too_long", "units.viewer_only", "units.unknown"}

// accountErr words a refused account change for the terminal.
func (cl *cli) accountErr(err error) error {
	var ae *survey.AccountError
	if !errors.As(err, &ae) {
		if errors.Is(err, survey.ErrConflict) {
			return cl.fail("cli.account.email.taken")
		}
		if errors.Is(err, survey.ErrNotFound) {
			return cl.fail("cli.account.not_found")
		}
		return err
	}
	if slices.Contains(accountMessages, ae.Field+"."+ae.Code) {
		return cl.fail("cli.account."+ae.Field+"."+ae.Code, "Min", survey.MinPasswordLen, "Max", survey.MaxPasswordBytes,
			"Detail", strconv.Quote(ae.Detail))
	}
	return err
}

// accessDetail is e.g. "role=viewer units=DINKES,PKM1".
func accessDetail(role string, units []string) string {
	d := "role=" + role
	if len(units) > 0 {
		d += " units=" + strings.Join(units, ",")
	}
	return d
}
