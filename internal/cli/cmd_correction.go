package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"integritas/survey"
)

func cmdCorrectionSet(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("correction set")
	period := fs.String("period", "", "period code")
	unit := fs.String("unit", "", "unit code")
	points := fs.String("points", "", "index points subtracted (0 to 100; the period caps the sum)")
	reason := fs.String("reason", "", "why: the evidence behind the correction")
	kind := fs.String("kind", "other", "complaints, law_enforcement, survey_integrity, follow_up or other")
	evidence := fs.String("evidence", "", "reference to the evidence (letter, case number)")
	by := fs.String("by", "cli", "who sets it (recorded with the correction)")
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	for name, v := range map[string]string{"period": *period, "unit": *unit, "points": *points, "reason": *reason} {
		if err := need(name, v); err != nil {
			return err
		}
	}
	p, err := strconv.ParseFloat(strings.ReplaceAll(*points, ",", "."), 64)
	if err != nil || p < 0 || p > 100 {
		return fmt.Errorf("--points: %q is not a number from 0 to 100", *points)
	}
	st, per, err := cl.openPeriod(ctx, cfg, *period)
	if err != nil {
		return err
	}
	defer st.Close()
	c := survey.Correction{PeriodID: per.ID, UnitCode: *unit, Kind: *kind, Points: p, Reason: *reason, Evidence: *evidence, SetBy: *by}
	if err := st.SetCorrection(ctx, c); err != nil {
		return err
	}
	if err := st.Audit(ctx, *by, "correction.set", "period:"+per.Code+"/unit:"+*unit, fmt.Sprintf("%.2f points (%s)", p, *kind)); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	fmt.Fprintf(cl.stdout, "correction for %s in %s: %.2f points (%s)\n", *unit, per.Code, p, *reason)
	return nil
}

func cmdCorrectionImport(cl *cli, ctx context.Context, args []string) error {
	return importCSV(cl, ctx, "import corrections", args, func(st *survey.Store, p *survey.Period, name string, f *os.File) (string, error) {
		items, err := survey.ParseCorrectionsCSV(filepath.Base(name), f)
		if err != nil {
			return "", err
		}
		if err := st.ImportCorrections(ctx, p, items, "cli"); err != nil {
			return "", err
		}
		return fmt.Sprintf("imported %d correction items into %s", len(items), p.Code), nil
	})
}
