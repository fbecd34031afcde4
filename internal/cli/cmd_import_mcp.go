package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"integritas/survey"
)

// MCP and PMPRB figures belong to years, not to a survey period: the
// commands take no --period, and a period reads the years it needs.

func cmdImportMCP(cl *cli, ctx context.Context, args []string) error {
	return importYearly(cl, ctx, "import mcp", args, func(st *survey.Store, name string, f *os.File) (string, error) {
		n, err := st.ImportMCPCSV(ctx, name, f)
		return cl.t("cli.import.mcp", "Count", n), err
	})
}

func cmdImportPMPRB(cl *cli, ctx context.Context, args []string) error {
	return importYearly(cl, ctx, "import pmprb", args, func(st *survey.Store, name string, f *os.File) (string, error) {
		n, err := st.ImportPMPRBCSV(ctx, name, f)
		return cl.t("cli.import.pmprb", "Count", n), err
	})
}

// importYearly imports one CSV file of yearly figures, all rows or none.
func importYearly(cl *cli, ctx context.Context, name string, args []string,
	do func(*survey.Store, string, *os.File) (string, error)) error {
	fs, cfg := cl.flags(name)
	pos, err := cl.parse(fs, cfg, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cl.fail("cli.import.one_file", "Usage", "integritas "+name+" FILE.csv")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return cl.wrap(err, "cli.import.open")
	}
	defer f.Close()
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	msg, err := do(st, filepath.Base(pos[0]), f)
	if err != nil {
		return cl.wrap(err, "cli.import.nothing")
	}
	st.Audit(ctx, "cli", "import."+name[len("import "):], name[len("import "):], msg)
	fmt.Fprintln(cl.stdout, msg)
	return nil
}
