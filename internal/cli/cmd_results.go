package cli

import (
	"context"
	"encoding/json"

	"integritas/assets"
	"integritas/export"
	"integritas/locale"
	"integritas/results"
)

func cmdResults(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("results")
	period := fs.String("period", "", "period code")
	format := fs.String("format", "json", "json or csv")
	includeFlagged := fs.Bool("include-flagged", false, "include responses flagged by the data-quality checks")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if err := cl.need("period", *period); err != nil {
		return err
	}
	if *format != "json" && *format != "csv" {
		return cl.fail("cli.flag.choice", "Flag", "--format", "Value", *format, "Choices", "json, csv")
	}
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	var opt results.Options
	if flagSet(args, "include-flagged") {
		opt.IncludeFlagged = includeFlagged
	}
	r, err := results.Compute(ctx, st, *period, opt)
	if err != nil {
		return cl.wrap(err, "cli.results.failed", "Code", *period)
	}
	if err := st.Audit(ctx, "cli", "export.results", "period:"+*period, "format "+*format); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	if *format == "csv" {
		// The same writer as `export --what results` and the dashboard's
		// download, so every results CSV has one layout.
		bundle, err := locale.Load(assets.FS)
		if err != nil {
			return err
		}
		opt := export.ResultsFor(bundle.For(cl.lang), r.Period.Name, r.Results.Settings, export.ElementOrder(r.Period.Instrument))
		return export.Results(cl.stdout, export.CSV, r.Results, opt)
	}
	enc := json.NewEncoder(cl.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(r.Results)
}
