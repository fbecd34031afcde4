package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"integritas/assets"
	"integritas/locale"
	"integritas/packet"
	"integritas/results"
)

func cmdPackets(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("packets")
	period := fs.String("period", "", "period code")
	out := fs.String("out", "", "directory for the packets (one <unit code>.zip each)")
	units := fs.String("units", "", "comma-separated unit codes (default: every unit)")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if err := cl.need("period", *period); err != nil {
		return err
	}
	if err := cl.need("out", *out); err != nil {
		return err
	}
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	bundle, err := locale.Load(assets.FS)
	if err != nil {
		return err
	}
	start := time.Now()
	h, err := results.LoadHistory(ctx, st, results.Computer(st), *period)
	if err != nil {
		return err
	}
	org, err := orgSettings(ctx, st, cfg)
	if err != nil {
		return err
	}
	src, err := packet.NewSource(h, bundle, org, cl.now())
	if err != nil {
		return err
	}
	defer packet.LimitMemory(cl.getenv)()
	codes := splitList(*units)
	total := len(codes)
	if total == 0 {
		total = len(src.Units())
	}
	progress := cl.progress(total)
	if err := src.BuildAll(ctx, *out, cl.lang, codes, progress); err != nil {
		return cl.wrap(err, "cli.packets.failed")
	}
	if err := st.Audit(ctx, "cli", "packet.build", "period:"+*period, fmt.Sprintf("%d packets (%s) to %s", total, cl.lang, *out)); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.packets.written", "Count", total, "Dir", *out, "Took", time.Since(start).Round(100*time.Millisecond).String())
	return nil
}

// progress draws a bar on a terminal and prints plain lines otherwise.
func (cl *cli) progress(total int) packet.Progress {
	if f, ok := cl.stderr.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription(cl.t("cli.packets.bar")),
			progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
		return func(unit string, done, total int) { bar.Set(done) }
	}
	w := io.Writer(cl.stderr)
	return func(unit string, done, total int) {
		fmt.Fprintln(w, cl.t("cli.packets.progress", "Done", done, "Total", total, "Unit", unit))
	}
}

// splitList splits a comma-separated flag value, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
