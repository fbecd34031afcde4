package survey

import (
	"fmt"
	"io"
	"net/mail"
	"strconv"
	"strings"
)

// Roles the roster import recognises as outside the internal frame (§1):
// support staff and the unit head.
var excludedRoles = map[string]string{
	"kepala": "unit head", "kepala unit": "unit head", "kepala opd": "unit head", "head": "unit head",
	"pendukung": "support staff", "tenaga pendukung": "support staff", "support": "support staff",
	"honorer": "support staff", "outsourcing": "support staff",
}

// ParseRosterCSV reads a roster with the header
// unit,type,name,email,phone,grade,years_institution,years_unit,role
// (type defaults to internal). Rows that spi-method.md §1 excludes from the
// internal frame are kept with a warning, returned as file:line messages.
func ParseRosterCSV(name string, r io.Reader) ([]RosterEntry, []string, error) {
	t, err := newTable(name, r, []string{"unit", "name"},
		[]string{"type", "email", "phone", "grade", "years_institution", "years_unit", "role"})
	if err != nil {
		return nil, nil, err
	}
	var out []RosterEntry
	var warnings []string
	for rec, ok := t.next(); ok; rec, ok = t.next() {
		e := RosterEntry{UnitCode: t.get(rec, "unit"), Type: strings.ToLower(t.get(rec, "type")), Name: t.get(rec, "name"),
			Email: t.get(rec, "email"), Phone: t.get(rec, "phone"), Grade: t.get(rec, "grade"), Role: t.get(rec, "role")}
		if e.Type == "" {
			e.Type = Internal
		}
		if !unitCodePattern.MatchString(e.UnitCode) {
			t.fail("unit", "%q is not a unit code", clip(e.UnitCode))
		}
		if e.Type != Internal && e.Type != Expert {
			t.fail("type", "%q must be internal or expert (external respondents use open links)", clip(e.Type))
		}
		if e.Name == "" || len(e.Name) > 200 {
			t.fail("name", "a name of 1 to 200 characters is required")
		} else if HasControl(e.Name) {
			t.fail("name", controlMsg)
		}
		if e.Email != "" {
			if a, err := mail.ParseAddress(e.Email); err != nil || a.Address != e.Email {
				t.fail("email", "%q is not an e-mail address", clip(e.Email))
			}
		}
		if e.Phone != "" && strings.Trim(e.Phone, "+0123456789 -") != "" {
			t.fail("phone", "%q is not a phone number", clip(e.Phone))
		}
		e.YearsInstitution = t.years(rec, "years_institution")
		e.YearsUnit = t.years(rec, "years_unit")
		e.Warning = frameWarning(e)
		if e.Warning != "" {
			warnings = append(warnings, fmt.Sprintf("%s:%d: %s (%s) %s", name, t.line, e.Name, e.UnitCode, e.Warning))
		}
		out = append(out, e)
	}
	if err := t.err(); err != nil {
		return nil, nil, err
	}
	return out, warnings, nil
}

func (t *table) years(rec []string, col string) *float64 {
	v := strings.ReplaceAll(t.get(rec, col), ",", ".")
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= 0 && f <= 70) { // written so that NaN fails too
		t.fail(col, "%q is not a number of years from 0 to 70", clip(v))
		return nil
	}
	return &f
}

// frameWarning says why an internal roster row falls outside the survey
// frame: under 2 years in the institution, under 1 year in the unit, or
// support staff or the unit head.
func frameWarning(e RosterEntry) string {
	if e.Type != Internal {
		return ""
	}
	var why []string
	if e.YearsInstitution != nil && *e.YearsInstitution < 2 {
		why = append(why, "under 2 years in the institution")
	}
	if e.YearsUnit != nil && *e.YearsUnit < 1 {
		why = append(why, "under 1 year in the unit")
	}
	if what, ok := excludedRoles[strings.ToLower(e.Role)]; ok {
		why = append(why, "is "+what)
	}
	if len(why) == 0 {
		return ""
	}
	return "excluded from the internal frame: " + strings.Join(why, ", ")
}
