package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"integritas/results"
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
	for _, f := range [][2]string{{"period", *period}, {"unit", *unit}, {"points", *points}, {"reason", *reason}} {
		if err := cl.need(f[0], f[1]); err != nil {
			return err
		}
	}
	p, err := strconv.ParseFloat(strings.ReplaceAll(*points, ",", "."), 64)
	if err != nil || !(p >= 0 && p <= 100) {
		return cl.fail("cli.correction.points", "Value", strconv.Quote(*points))
	}
	st, per, err := cl.openPeriod(ctx, cfg, *period)
	if err != nil {
		return err
	}
	defer st.Close()
	c := survey.Correction{PeriodID: per.ID, UnitCode: *unit, Kind: *kind, Points: p, Reason: *reason, Evidence: *evidence, SetBy: *by}
	// set replaces the unit's items, so only these points count.
	if err := cl.checkCap(per, nil, []survey.Correction{c}, true); err != nil {
		return err
	}
	if err := st.SetCorrection(ctx, c); err != nil {
		return cl.wrap(err, "cli.correction.unit", "Unit", *unit)
	}
	if err := st.Audit(ctx, *by, "correction.set", "period:"+per.Code+"/unit:"+*unit, fmt.Sprintf("%.2f points (%s)", p, *kind)); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	tr := cl.translator()
	cl.say("cli.correction.set", "Unit", *unit, "Period", per.Code, "Points", tr.Num(p, 2), "Reason", *reason)
	return nil
}

func cmdCorrectionImport(cl *cli, ctx context.Context, args []string) error {
	return importCSV(cl, ctx, "import corrections", args, func(st *survey.Store, p *survey.Period, name string, f *os.File) (string, error) {
		items, err := survey.ParseCorrectionsCSV(filepath.Base(name), f)
		if err != nil {
			return "", err
		}
		existing, err := st.Corrections(ctx, p.ID)
		if err != nil {
			return "", err
		}
		if err := cl.checkCap(p, existing, items, false); err != nil {
			return "", err
		}
		if err := st.ImportCorrections(ctx, p, items, "cli"); err != nil {
			return "", err
		}
		return cl.t("cli.import.corrections", "Count", len(items), "Period", p.Code), nil
	})
}

// checkCap refuses corrections that would pass the period's cap, naming
// the cap and each unit's points, as the inspectorate's page does.
func (cl *cli) checkCap(p *survey.Period, existing, adds []survey.Correction, replace bool) error {
	over, err := results.CorrectionsOverCap(p, existing, adds, replace)
	if err != nil || len(over) == 0 {
		return err
	}
	tr := cl.translator()
	lines := make([]string, 0, len(over))
	for _, o := range over {
		lines = append(lines, cl.t("cli.correction.over_cap.unit", "Unit", o.Unit, "Cap", tr.Num(o.Cap, 1),
			"Recorded", tr.Num(o.Recorded, 1), "Adding", tr.Num(o.Adding, 1), "Total", tr.Num(o.Recorded+o.Adding, 1)))
	}
	return cl.fail("cli.correction.over_cap", "Cap", tr.Num(over[0].Cap, 1), "Units", "\n"+strings.Join(lines, "\n"))
}
