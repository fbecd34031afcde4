package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"integritas/survey"
)

func cmdImportUnits(cl *cli, ctx context.Context, args []string) error {
	return importCSV(cl, ctx, "import units", args, func(st *survey.Store, p *survey.Period, name string, f *os.File) (string, error) {
		n, err := st.ImportUnitsCSV(ctx, p, name, f)
		return cl.t("cli.import.units", "Count", n, "Period", p.Code), err
	})
}

func cmdImportRoster(cl *cli, ctx context.Context, args []string) error {
	return importCSV(cl, ctx, "import roster", args, func(st *survey.Store, p *survey.Period, name string, f *os.File) (string, error) {
		n, warnings, err := st.ImportRosterCSV(ctx, p, name, f)
		for _, w := range warnings {
			fmt.Fprintln(cl.stderr, cl.t("cli.import.note", "Note", w.Text(cl.translator())))
		}
		return cl.t("cli.import.roster", "Count", n, "Period", p.Code, "Notes", len(warnings)), err
	})
}

// cmdImportResponses stores paper (or other tools') responses. A paper form
// that skips a required item is kept with the item missing and counted as
// "paper, incomplete", since it cannot go back to its anonymous author;
// --strict refuses the file instead, naming file:line: item.
func cmdImportResponses(cl *cli, ctx context.Context, args []string) error {
	var strict *bool
	flags := func(fs *flag.FlagSet) { strict = fs.Bool("strict", false, cl.t("cli.flag.strict")) }
	return importCSVWith(cl, ctx, "import responses", args, flags, func(st *survey.Store, p *survey.Period, name string, f *os.File) (string, error) {
		got, err := st.ImportResponsesCSV(ctx, p, name, f, survey.ResponseImport{Strict: *strict})
		msg := cl.t("cli.import.responses", "Count", got.Stored, "Period", p.Code)
		if got.Incomplete > 0 {
			msg += " " + cl.t("cli.import.responses_incomplete", "Count", got.Incomplete)
		}
		return msg, err
	})
}

// importCSV is the shared shape of the import commands: one CSV file, one
// period, all rows or none, every problem printed as file:line: column: message.
func importCSV(cl *cli, ctx context.Context, name string, args []string,
	do func(*survey.Store, *survey.Period, string, *os.File) (string, error)) error {
	return importCSVWith(cl, ctx, name, args, nil, do)
}

// importCSVWith is importCSV with the command's own flags, declared by
// flags (when not nil) before the arguments are parsed.
func importCSVWith(cl *cli, ctx context.Context, name string, args []string, flags func(*flag.FlagSet),
	do func(*survey.Store, *survey.Period, string, *os.File) (string, error)) error {
	fs, cfg := cl.flags(name)
	period := fs.String("period", "", "period code")
	if flags != nil {
		flags(fs)
	}
	pos, err := cl.parse(fs, cfg, args)
	if err != nil {
		return err
	}
	if err := cl.need("period", *period); err != nil {
		return err
	}
	if len(pos) != 1 {
		return cl.fail("cli.import.one_file", "Usage", "integritas "+name+" --period C FILE.csv")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return cl.wrap(err, "cli.import.open")
	}
	defer f.Close()
	st, p, err := cl.openPeriod(ctx, cfg, *period)
	if err != nil {
		return err
	}
	defer st.Close()
	msg, err := do(st, p, filepath.Base(pos[0]), f)
	if err != nil {
		return cl.wrap(err, "cli.import.nothing")
	}
	if err := st.Audit(ctx, "cli", "import."+name[len("import "):], "period:"+p.Code, msg); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	fmt.Fprintln(cl.stdout, msg)
	return nil
}
