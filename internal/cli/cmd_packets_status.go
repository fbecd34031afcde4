package cli

import (
	"context"
	"fmt"
	"strings"

	"integritas/survey"
)

// cmdPacketsStatus prints the latest packet build of each language the
// server ran for a period: its progress, or that it was interrupted or
// failed and which units lack a packet (such a build is not sent).
func cmdPacketsStatus(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("packets status")
	period := fs.String("period", "", "period code")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if err := cl.need("period", *period); err != nil {
		return err
	}
	st, p, err := cl.openPeriod(ctx, cfg, *period)
	if err != nil {
		return err
	}
	defer st.Close()
	jobs, err := st.LatestPacketJobs(ctx, p.ID)
	if err != nil {
		return err
	}
	if len(jobs) == 0 {
		fmt.Fprintln(cl.stdout, cl.t("robust.packets.cli.none"))
		return nil
	}
	for _, j := range jobs {
		fmt.Fprintf(cl.stdout, "[%s #%d] ", j.Lang, j.ID)
		switch j.Status {
		case survey.JobRunning:
			fmt.Fprintln(cl.stdout, cl.t("insp.packets.job.running", "Done", j.Built, "Total", j.Expected))
		case survey.JobDone:
			fmt.Fprintln(cl.stdout, cl.t("insp.packets.job.done", "Done", j.Built, "Total", j.Expected))
		default:
			fmt.Fprintln(cl.stdout, cl.t("robust.packets.job."+j.Status, "Lang", j.Lang, "Started", j.StartedAt.UTC().Format("2006-01-02 15:04"),
				"Built", j.Built, "Expected", j.Expected))
			missing, err := st.PacketJobMissing(ctx, j.ID)
			if err != nil {
				return err
			}
			fmt.Fprintln(cl.stdout, "  "+cl.t("robust.packets.job.missing"), strings.Join(missing, ", "))
			fmt.Fprintln(cl.stdout, "  "+cl.t("robust.packets.cli.resume", "Path", "/inspectorate/"+p.Code+"/packets"))
		}
	}
	return nil
}
