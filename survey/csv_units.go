package survey

import (
	"io"
	"net/mail"
	"regexp"
	"strconv"
)

var unitCodePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`)

// ParseUnitsCSV reads units with the header
// code,name,parent_code,head_email,internal_population,external_population,expert_population
// (head_name optional). It reports every bad row as file:line: column: message.
func ParseUnitsCSV(name string, r io.Reader) ([]Unit, error) {
	required := []string{"code", "name", "parent_code", "head_email", "internal_population", "external_population", "expert_population"}
	t, err := newTable(name, r, required, []string{"head_name"})
	if err != nil {
		return nil, err
	}
	var units []Unit
	seen := map[string]int{}
	for rec, ok := t.next(); ok; rec, ok = t.next() {
		u := Unit{Code: t.get(rec, "code"), Name: t.get(rec, "name"), ParentCode: t.get(rec, "parent_code"),
			HeadName: t.get(rec, "head_name"), HeadEmail: t.get(rec, "head_email"), Population: map[string]int{}}
		switch {
		case !unitCodePattern.MatchString(u.Code):
			t.fail("code", "import.unit.code_pattern", "Value", quote(u.Code))
		case seen[u.Code] > 0:
			t.fail("code", "import.unit.twice", "Value", quote(u.Code), "Line", seen[u.Code])
		default:
			seen[u.Code] = t.line
		}
		if u.Name == "" || len(u.Name) > 200 {
			t.fail("name", "import.name")
		} else if HasControl(u.Name) {
			t.fail("name", "import.name.control")
		}
		if HasControl(u.HeadName) {
			t.fail("head_name", "import.name.control")
		}
		if u.ParentCode == u.Code && u.Code != "" {
			t.fail("parent_code", "import.unit.own_parent")
		}
		if u.HeadEmail != "" {
			if a, err := mail.ParseAddress(u.HeadEmail); err != nil || a.Address != u.HeadEmail {
				t.fail("head_email", "import.email", "Value", quote(u.HeadEmail))
			}
		}
		for _, typ := range Types {
			col := typ + "_population"
			v := t.get(rec, col)
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 10_000_000 {
				t.fail(col, "import.population", "Value", quote(v))
				continue
			}
			u.Population[typ] = n
		}
		units = append(units, u)
	}
	if err := t.err(); err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, &ImportError{Rows: []RowError{{File: name, Line: 2, Key: "import.no_rows.units"}}}
	}
	return units, nil
}
