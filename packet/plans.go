package packet

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"integritas/locale"
	"integritas/survey"
)

// ErrPlanSheet means an uploaded workbook is not a returned action plan.
var ErrPlanSheet = errors.New("packet: not a returned action plan")

// PlanProblem is one row of an uploaded plan that cannot be saved.
type PlanProblem struct {
	Row     int
	Message string // English, for logs; the page names the row and column
	Column  string
}

// maxPlanRows bounds what an upload may hold (a unit has at most a few
// risk elements; a city a few hundred units).
const maxPlanRows = 5000

// ParsePlans reads the rencana aksi sheet of a returned packet workbook, in
// either language, and returns the plans of the rows whose action is filled
// in. Rows must name a unit in units (the uploader's allowed units) and an
// element of elements; status is a code (planned, in_progress, done,
// not_done) or its label; the due date is YYYY-MM-DD.
func ParsePlans(r io.Reader, b *locale.Bundle, units, elements []string, by string) ([]survey.ActionPlan, []PlanProblem, error) {
	f, err := openWorkbook(r)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var rows [][]string
	for _, lang := range []string{"id", "en"} {
		name := b.For(lang).T("packet.sheet.followup")
		if idx, _ := f.GetSheetIndex(name); idx >= 0 {
			if rows, err = f.GetRows(name); err != nil {
				return nil, nil, fmt.Errorf("%w: %v", ErrPlanSheet, err)
			}
			break
		}
	}
	if len(rows) < HeaderRow || len(rows[HeaderRow-1]) < 9 {
		return nil, nil, ErrPlanSheet
	}
	head := rows[HeaderRow-1]
	if !slices.Contains([]string{b.For("id").T("packet.col.unit_code"), b.For("en").T("packet.col.unit_code")}, strings.TrimSpace(head[0])) {
		return nil, nil, ErrPlanSheet
	}
	if len(rows) > maxPlanRows {
		return nil, nil, fmt.Errorf("%w: more than %d rows", ErrPlanSheet, maxPlanRows)
	}
	statuses := map[string]string{}
	for _, s := range survey.ActionStatuses {
		statuses[s] = s
		for _, lang := range []string{"id", "en"} {
			statuses[strings.ToLower(b.For(lang).T("packet.status."+s))] = s
		}
	}
	var plans []survey.ActionPlan
	var probs []PlanProblem
	for i := HeaderRow; i < len(rows); i++ {
		row := append(rows[i], make([]string, 9)...)[:9]
		cell := func(j int) string { return strings.TrimSpace(strings.TrimPrefix(row[j], "'")) }
		if cell(4) == "" && cell(5) == "" && cell(8) == "" {
			continue // a risk element without a plan yet
		}
		n := i + 1
		a := survey.ActionPlan{UnitCode: cell(0), Element: cell(1), Action: cell(4), Owner: cell(5), DueDate: cell(6), Evidence: cell(8), UpdatedBy: by}
		bad := func(col, msg string) { probs = append(probs, PlanProblem{Row: n, Column: col, Message: msg}) }
		if !slices.Contains(units, a.UnitCode) {
			bad("A", "unit code is not one you may update")
			continue
		}
		if !slices.Contains(elements, a.Element) {
			bad("B", "element code is not in the instrument")
			continue
		}
		if a.DueDate != "" {
			if _, err := time.Parse(time.DateOnly, a.DueDate); err != nil {
				bad("G", "due date is not YYYY-MM-DD")
				continue
			}
		}
		st, ok := statuses[strings.ToLower(cell(7))]
		if cell(7) == "" {
			st, ok = "planned", true
		}
		if !ok {
			bad("H", "status is not planned, in_progress, done or not_done")
			continue
		}
		a.Status = st
		if len(a.Action) > 2000 || len(a.Evidence) > 2000 || len(a.Owner) > 200 {
			bad("E", "text longer than allowed")
			continue
		}
		plans = append(plans, a)
	}
	return plans, probs, nil
}
