package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"integritas/analysis"
	"integritas/assets"
	"integritas/export"
	"integritas/locale"
	"integritas/results"
)

// cmdExport writes a period's results or anonymised answers to a CSV or
// XLSX file, through a temporary file renamed into place, and audits it.
func cmdExport(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("export")
	period := fs.String("period", "", "period code")
	what := fs.String("what", "results", "results or answers")
	format := fs.String("format", "csv", "csv, xlsx or zip")
	out := fs.String("out", "", "file to write")
	includeFlagged := fs.Bool("include-flagged", false, "results: include responses flagged by the data-quality checks")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	for _, f := range [][2]string{{"period", *period}, {"out", *out}} {
		if err := cl.need(f[0], f[1]); err != nil {
			return err
		}
	}
	if *what != "results" && *what != "answers" {
		return cl.fail("cli.flag.choice", "Flag", "--what", "Value", *what, "Choices", "results, answers")
	}
	if !slices.Contains(export.Formats, *format) {
		return cl.fail("cli.flag.choice", "Flag", "--format", "Value", *format, "Choices", "csv, xlsx, zip")
	}
	bundle, err := locale.Load(assets.FS)
	if err != nil {
		return err
	}
	st, p, err := cl.openPeriod(ctx, cfg, *period)
	if err != nil {
		return err
	}
	defer st.Close()
	tr := bundle.For(cl.lang)
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".integritas-export-*")
	if err != nil {
		return cl.wrap(err, "cli.export.write", "File", *out)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if *what == "results" {
		var opt results.Options
		if flagSet(args, "include-flagged") {
			opt.IncludeFlagged = includeFlagged
		}
		r, err := results.Compute(ctx, st, p.Code, opt)
		if err != nil {
			return err
		}
		err = export.Results(tmp, *format, r.Results, export.ResultsFor(tr, p.Name, r.Results.Settings, export.ElementOrder(p.Instrument)))
		if err != nil {
			return err
		}
	} else {
		s, err := analysis.ParseSettings(p.Settings)
		if err != nil {
			return err
		}
		src, err := results.AnswersOf(ctx, st, p)
		if err != nil {
			return err
		}
		sum, err := export.Answers(ctx, src, *format, tmp, export.AnswersFor(bundle, cl.lang, p.Name, s))
		if err != nil {
			return err
		}
		fmt.Fprintln(cl.stderr, cl.t("cli.export.answers", "Rows", sum.Rows, "LeftOut", sum.LeftOutRows, "Groups", len(sum.LeftOut)))
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return cl.wrap(err, "cli.export.write", "File", *out)
	}
	return st.Audit(ctx, "cli", "export."+*what, "period:"+p.Code, "format "+*format)
}
