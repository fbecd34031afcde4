package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
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
	if err := errors.Join(need("email", *email), need("role", *role)); err != nil {
		return err
	}
	if !survey.ValidRole(*role) {
		return fmt.Errorf("--role: %q must be admin, inspector, analyst or viewer", *role)
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
		return accountErr(err)
	}
	if err := st.Audit(ctx, "cli", "user.create", "user:"+u.Email, accessDetail(u.Role, u.Units)); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	fmt.Fprintf(cl.stdout, "created %s (%s)\n", u.Email, accessDetail(u.Role, u.Units))
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
	fmt.Fprintln(w, "EMAIL\tNAME\tROLE\tUNITS\tSTATE")
	for _, u := range us {
		state := "active"
		if u.Disabled {
			state = "disabled"
		} else if u.LockedUntil.After(cl.now()) {
			state = "locked until " + u.LockedUntil.UTC().Format("2006-01-02 15:04 UTC")
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
		return err
	}
	if err := st.SetUserDisabled(ctx, u.ID, disabled); err != nil {
		return err
	}
	action, word := "user.enable", "enabled"
	if disabled {
		action, word = "user.disable", "disabled (its sessions ended, its API tokens refused)"
	}
	if err := st.Audit(ctx, "cli", action, "user:"+u.Email, ""); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	fmt.Fprintf(cl.stdout, "%s %s\n", u.Email, word)
	return nil
}

func cmdUserResetPassword(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("user reset-password")
	email := fs.String("email", "", "the account's e-mail address")
	pwFile := fs.String("password-file", "", "read the new password from this file's first line (default: ask, or read standard input)")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if err := need("email", *email); err != nil {
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
		return err
	}
	if err := st.SetPassword(ctx, u.ID, pw); err != nil {
		return accountErr(err)
	}
	if err := st.Audit(ctx, "cli", "user.password_reset", "user:"+u.Email, ""); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	fmt.Fprintf(cl.stdout, "password of %s replaced; its sessions ended and any lockout lifted\n", u.Email)
	return nil
}

// readPassword reads a password from a file's first line, else from the
// terminal without echo (asked twice), else one line of standard input.
func (cl *cli) readPassword(file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimRight(line, "\r"), nil
	}
	if f, ok := cl.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(cl.stderr, "Password (at least %d characters): ", survey.MinPasswordLen)
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(cl.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(cl.stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(cl.stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(cl.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no password given: use --password-file, a terminal, or one line on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// accountErr words a refused account change for the terminal.
func accountErr(err error) error {
	var ae *survey.AccountError
	if !errors.As(err, &ae) {
		if errors.Is(err, survey.ErrConflict) {
			return errors.New("an account with this e-mail already exists")
		}
		return err
	}
	msgs := map[string]string{
		"email.invalid":      "--email: not an e-mail address",
		"email.disabled":     "--email: the account is disabled",
		"role.invalid":       "--role: must be admin, inspector, analyst or viewer",
		"name.too_long":      "--name: at most 200 characters",
		"name.control":       "--name: control characters (line breaks, tabs, direction overrides) are not allowed",
		"expires.invalid":    "--days: from 1 to 366",
		"password.too_short": fmt.Sprintf("password: at least %d characters", survey.MinPasswordLen),
		"password.too_long":  fmt.Sprintf("password: at most %d bytes", survey.MaxPasswordBytes),
		"units.viewer_only":  "--unit: only viewers are scoped to units",
		"units.unknown":      fmt.Sprintf("--unit: no unit %q (import units first)", ae.Detail),
	}
	if m, ok := msgs[ae.Field+"."+ae.Code]; ok {
		return errors.New(m)
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
