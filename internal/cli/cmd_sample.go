package cli

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"integritas/analysis"
	"integritas/survey"
)

func cmdSample(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("sample")
	period := fs.String("period", "", "period code")
	margin := fs.String("margin", "5", "target margin of error in index points (above 0, at most 10)")
	seed := fs.String("seed", "", "seed of the draw (default: a random one, printed and recorded)")
	units := fs.String("units", "", "comma-separated unit codes (default: every unit with a roster)")
	types := fs.String("types", "internal,expert", "rosters to sample: internal, expert or both")
	by := fs.String("by", "cli", "who draws (recorded with the sample)")
	invite := fs.Bool("invite", false, "create invitations for the people drawn and queue e-mails with their personal links")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if err := cl.need("period", *period); err != nil {
		return err
	}
	m, err := strconv.ParseFloat(strings.ReplaceAll(*margin, ",", "."), 64)
	if err != nil || !(m > 0 && m <= 10) {
		return cl.fail("cli.sample.margin", "Value", *margin)
	}
	var s uint64
	if *seed == "" {
		var b [8]byte
		rand.Read(b[:])
		s = binary.LittleEndian.Uint64(b[:]) >> 1 // stored as a signed 64-bit integer
	} else if s, err = strconv.ParseUint(*seed, 10, 63); err != nil {
		return cl.fail("cli.sample.seed", "Value", *seed)
	}
	st, p, err := cl.openPeriod(ctx, cfg, *period)
	if err != nil {
		return err
	}
	defer st.Close()
	samples, err := st.DrawSample(ctx, p.ID, survey.SampleRequest{Units: splitList(*units), Types: splitList(*types), Margin: m, Seed: s,
		By: *by, Size: analysis.RequiredSampleSize})
	if err != nil {
		return cl.wrap(err, "cli.sample.failed", "Code", p.Code)
	}
	drawn := 0
	tw := tabwriter.NewWriter(cl.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, cl.t("cli.sample.header"))
	for _, smp := range samples {
		drawn += smp.Size
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\n", smp.UnitCode, smp.Type, smp.Population, smp.Size, smp.ID)
	}
	tw.Flush()
	if err := st.Audit(ctx, *by, "sample.draw", "period:"+p.Code, fmt.Sprintf("seed %d, margin %.1f, %d samples, %d people", s, m, len(samples), drawn)); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.sample.drawn", "Seed", s, "Margin", cl.translator().Num(m, 1), "People", drawn, "Samples", len(samples))
	if !*invite {
		return nil
	}
	mailer, err := newMailer(cfg, st)
	if err != nil {
		return err
	}
	inv, err := mailer.InviteSample(ctx, p, samples, cl.lang)
	if err != nil {
		return cl.wrap(err, "cli.sample.invite_failed")
	}
	if err := st.Audit(ctx, *by, "invitation.create", "period:"+p.Code, fmt.Sprintf("%d invitations for the sample, %d e-mails queued, %d without e-mail", inv.Created, inv.Queued, inv.NoEmail)); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.sample.invited", "Created", inv.Created, "Queued", inv.Queued, "NoEmail", inv.NoEmail)
	return nil
}
