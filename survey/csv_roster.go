package survey

import (
	"io"
	"net/mail"
	"strconv"
	"strings"
)

// Roles the roster import recognises as outside the internal frame (§1):
// support staff and the unit head.
var excludedRoles = map[string]string{
	"kepala": frameHead, "kepala unit": frameHead, "kepala opd": frameHead, "head": frameHead,
	"pendukung": frameSupport, "tenaga pendukung": frameSupport, "support": frameSupport,
	"honorer": frameSupport, "outsourcing": frameSupport,
}

// ParseRosterCSV reads a roster with the header
// unit,type,name,email,phone,grade,years_institution,years_unit,role
// (type defaults to internal). Rows that spi-method.md §1 excludes from the
// internal frame are kept with a warning, returned as file:line notes.
func ParseRosterCSV(name string, r io.Reader) ([]RosterEntry, []RowError, error) {
	t, err := newTable(name, r, []string{"unit", "name"},
		[]string{"type", "email", "phone", "grade", "years_institution", "years_unit", "role"})
	if err != nil {
		return nil, nil, err
	}
	var out []RosterEntry
	var warnings []RowError
	for rec, ok := t.next(); ok; rec, ok = t.next() {
		e := RosterEntry{UnitCode: t.get(rec, "unit"), Type: strings.ToLower(t.get(rec, "type")), Name: t.get(rec, "name"),
			Email: t.get(rec, "email"), Phone: t.get(rec, "phone"), Grade: t.get(rec, "grade"), Role: t.get(rec, "role")}
		if e.Type == "" {
			e.Type = Internal
		}
		if !unitCodePattern.MatchString(e.UnitCode) {
			t.fail("unit", "import.unit.code", "Value", quote(e.UnitCode))
		}
		if e.Type != Internal && e.Type != Expert {
			t.fail("type", "import.type.roster", "Value", quote(e.Type))
		}
		if e.Name == "" || len(e.Name) > 200 {
			t.fail("name", "import.name")
		} else if HasControl(e.Name) {
			t.fail("name", "import.name.control")
		}
		if e.Email != "" {
			if a, err := mail.ParseAddress(e.Email); err != nil || a.Address != e.Email {
				t.fail("email", "import.email", "Value", quote(e.Email))
			}
		}
		if e.Phone != "" && strings.Trim(e.Phone, "+0123456789 -") != "" {
			t.fail("phone", "import.phone", "Value", quote(e.Phone))
		}
		e.YearsInstitution = t.years(rec, "years_institution")
		e.YearsUnit = t.years(rec, "years_unit")
		e.Warning = frameWarning(e)
		if e.Warning != "" {
			warnings = append(warnings, RowError{File: name, Line: t.line, Key: "import.frame.note",
				Args: []any{"Name", e.Name, "Unit", e.UnitCode, "Why", FrameNote(e.Warning)}})
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
		t.fail(col, "import.years", "Value", quote(v))
		return nil
	}
	return &f
}

// frameWarning says why an internal roster row falls outside the survey
// frame: under 2 years in the institution, under 1 year in the unit, or
// support staff or the unit head. It is stored as a FrameNote's codes, so
// each reader sees it in their language; "" means inside the frame.
func frameWarning(e RosterEntry) string {
	if e.Type != Internal {
		return ""
	}
	var why []string
	if e.YearsInstitution != nil && *e.YearsInstitution < 2 {
		why = append(why, frameInstitution)
	}
	if e.YearsUnit != nil && *e.YearsUnit < 1 {
		why = append(why, frameUnit)
	}
	if code, ok := excludedRoles[strings.ToLower(e.Role)]; ok {
		why = append(why, code)
	}
	if len(why) == 0 {
		return ""
	}
	return "frame:" + strings.Join(why, ",")
}
