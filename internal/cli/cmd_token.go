package cli

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"integritas/survey"
)

func cmdTokenCreate(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("token create")
	email := fs.String("email", "", "the account the token acts as")
	name := fs.String("name", "", "what the token is for, e.g. \"prometheus\"")
	days := fs.Int("days", int(survey.DefaultTokenTTL/(24*time.Hour)), "days until the token expires (1 to 366)")
	st, _, err := cl.open(ctx, fs, cfg, args, "email")
	if err != nil {
		return err
	}
	defer st.Close()
	tok, info, err := st.CreateTokenTTL(ctx, *email, *name, time.Duration(*days)*24*time.Hour)
	if err != nil {
		return cl.accountErr(err)
	}
	if err := st.Audit(ctx, "cli", "token.create", "user:"+info.Email, fmt.Sprintf("token %d %s", info.ID, info.Name)); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	fmt.Fprintln(cl.stderr, cl.t("cli.token.created", "Email", info.Email, "ID", info.ID, "Expires", info.Expires.UTC().Format("2006-01-02 15:04")))
	fmt.Fprintln(cl.stdout, tok)
	return nil
}

func cmdTokenList(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("token list")
	email := fs.String("email", "", "only this account's tokens")
	st, _, err := cl.open(ctx, fs, cfg, args)
	if err != nil {
		return err
	}
	defer st.Close()
	ts, err := st.Tokens(ctx, *email)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(cl.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, cl.t("cli.token.list.header"))
	for _, t := range ts {
		used, state := cl.t("cli.token.never"), cl.t("cli.token.state.active")
		if !t.LastUsed.IsZero() {
			used = t.LastUsed.UTC().Format("2006-01-02 15:04")
		}
		switch {
		case t.Revoked:
			state = cl.t("cli.token.state.revoked")
		case t.Expired(cl.now()):
			state = cl.t("cli.token.state.expired")
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Email, t.Name, t.CreatedAt.UTC().Format("2006-01-02 15:04"), used,
			t.Expires.UTC().Format("2006-01-02"), state)
	}
	return w.Flush()
}

func cmdTokenRevoke(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("token revoke")
	id := fs.Int64("id", 0, "the token's id (see token list)")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if *id <= 0 {
		return cl.need("id", "")
	}
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.RevokeToken(ctx, *id); err != nil {
		return cl.wrap(err, "cli.token.revoke_failed", "ID", *id)
	}
	if err := st.Audit(ctx, "cli", "token.revoke", "token:"+strconv.FormatInt(*id, 10), ""); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.token.revoked", "ID", *id)
	return nil
}
