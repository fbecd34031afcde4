package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestUnitsCSVBadRows(t *testing.T) {
	header := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n"
	cases := []struct {
		name, body string
		want       []string
	}{
		{"missing column", "code,name\nA,B\n", []string{"units.csv:1: parent_code: required column is missing"}},
		{"unknown column", strings.TrimSuffix(header, "\n") + ",colour\nA,B,,,,,,red\n", []string{"units.csv:1: colour: unknown column"}},
		{"empty file", "", []string{"units.csv:1: the file is empty"}},
		{"header only", header, []string{"no units"}},
		{"bad code", header + "A B,Name,,,,,\n", []string{`units.csv:2: code: "A B" is not a unit code`}},
		{"duplicate code", header + "A,Name,,,,,\nA,Other,,,,,\n", []string{`units.csv:3: code: unit "A" already appears on line 2`}},
		{"bad population", header + "A,Name,,,-3,,\n", []string{`units.csv:2: internal_population: "-3" is not a whole number`}},
		{"bad email", header + "A,Name,,kepala at dinas,,,\n", []string{`units.csv:2: head_email: "kepala at dinas" is not an e-mail address`}},
		{"own parent", header + "A,Name,A,,,,\n", []string{"units.csv:2: parent_code: a unit cannot be its own parent"}},
		{"column count", header + "A,Name\n", []string{"units.csv:2: wrong number of columns"}},
		{"open quote", header + "A,\"Name,,,,,\n", []string{"units.csv:2: a quote"}},
		{"invalid utf-8", header + "A,Nam\xff,,,,,\n", []string{"units.csv:2: name: is not valid UTF-8"}},
		{"several rows reported", header + "A,,,,,,\nB,,,,x,,\n", []string{"units.csv:2: name", "units.csv:3: name", "units.csv:3: internal_population"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseUnitsCSV("units.csv", strings.NewReader(c.body))
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an ImportError", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestUnitsCSVAcceptsSpreadsheetExports(t *testing.T) {
	// Excel in an Indonesian locale writes a BOM and ';' separators.
	body := "\xEF\xBB\xBFcode;name;parent_code;head_email;internal_population;external_population;expert_population;head_name\r\n" +
		"DPUPR;\"Dinas PU; Penataan Ruang\";;;80;;;Ir. Hadi\r\n\r\n"
	us, err := ParseUnitsCSV("u.csv", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 1 || us[0].Name != "Dinas PU; Penataan Ruang" || us[0].Population[Internal] != 80 || us[0].HeadName != "Ir. Hadi" {
		t.Errorf("parsed %+v", us)
	}
}

func TestRosterCSVBadRows(t *testing.T) {
	header := "unit,type,name,email,phone,grade,years_institution,years_unit,role\n"
	cases := []struct{ name, body, want string }{
		{"external type", header + "A,external,Budi,,,,,,\n", `roster.csv:2: type: "external" must be internal or expert`},
		{"no name", header + "A,internal,,,,,,,\n", "roster.csv:2: name: a name of 1 to 200 characters is required"},
		{"bad years", header + "A,internal,Budi,,,,lama,,\n", `roster.csv:2: years_institution: "lama" is not a number of years`},
		{"bad phone", header + "A,internal,Budi,,call me,,,,\n", `roster.csv:2: phone: "call me" is not a phone number`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ParseRosterCSV("roster.csv", strings.NewReader(c.body))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
	// Decimal commas are years too.
	es, _, err := ParseRosterCSV("r.csv", strings.NewReader(header+"A,internal,Budi,,,,\"2,5\",,\n"))
	if err != nil || *es[0].YearsInstitution != 2.5 {
		t.Errorf("decimal comma: %v", err)
	}
}

func TestResponsesCSV(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	header := "unit,type,duration_seconds,T01,SOS01,SOS02,IT04,X01,golongan\n"
	good := header +
		"DINKES,internal,420,4,5,4,ya,Pelayanan cepat,III\n" +
		"DINKES,external,,2,3,3,dk,,\n"
	got, err := st.ImportResponsesCSV(ctx, p, "paper.csv", strings.NewReader(good), ResponseImport{Strict: true})
	if err != nil || got != (ImportedResponses{Stored: 2}) {
		t.Fatalf("import: %+v %v", got, err)
	}
	// Every case is refused with --strict; all but a skipped required item
	// are refused without it too.
	cases := []struct{ name, body, want string }{
		{"unknown unit", header + "NOPE,internal,,4,5,4,,,\n", `paper.csv:2: unit: unit "NOPE" is not part of this period`},
		{"bad type", header + "DINKES,boss,,4,5,4,,,\n", `paper.csv:2: type: "boss" must be internal, external or expert`},
		{"out of range", header + "DINKES,internal,,9,5,4,,,\n", `paper.csv:2: T01: "9" is not an allowed answer`},
		{"required", header + "DINKES,internal,,4,,4,,,\n", "paper.csv:2: SOS01: this item must be answered"},
		{"dk not allowed", header + "DINKES,internal,,4,dk,4,,,\n", `paper.csv:2: SOS01: this item has no "tidak tahu"`},
		{"bad duration", header + "DINKES,internal,-5,4,5,4,,,\n", `paper.csv:2: duration_seconds: "-5" is not a whole number`},
		{"strata for external", header + "DINKES,external,,4,5,4,,,III\n", "paper.csv:2: golongan: this respondent type is not asked"},
		{"unknown item column", "unit,type,duration_seconds,T01,ZZ9\nDINKES,internal,,4,1\n", "paper.csv:1: zz9: unknown column"},
		{"bad last row", good + "DINKES,internal,,4,5,x,,,\n", `paper.csv:4: SOS02: "x" is not an allowed answer`},
	}
	for _, c := range cases {
		for _, strict := range []bool{true, false} {
			if c.name == "required" && !strict {
				continue
			}
			t.Run(fmt.Sprintf("%s/strict=%v", c.name, strict), func(t *testing.T) {
				_, err := st.ImportResponsesCSV(ctx, p, "paper.csv", strings.NewReader(c.body), ResponseImport{Strict: strict})
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("error %v, want %q", err, c.want)
				}
				if n := count(t, st, "SELECT count(*) FROM responses"); n != 2 {
					t.Errorf("a refused import changed the responses: %d rows", n)
				}
			})
		}
	}
	// A closed period is frozen.
	st.SetPeriodStatus(ctx, "P", StatusOpen)
	st.SetPeriodStatus(ctx, "P", StatusClosed)
	p, _ = st.Period(ctx, "P")
	if _, err := st.ImportResponsesCSV(ctx, p, "paper.csv", strings.NewReader(good), ResponseImport{}); !errors.Is(err, ErrClosed) {
		t.Errorf("closed period: %v", err)
	}
}

func TestCorrectionsCSV(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	good := "unit,points,reason,kind,evidence\nDINKES,\"2,5\",Aduan terbukti,complaints,Surat 12/2026\nDISDIK,1,SPDP,law_enforcement,\n"
	items, err := ParseCorrectionsCSV("c.csv", strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ImportCorrections(ctx, p, items, "insp@example.go.id"); err != nil {
		t.Fatal(err)
	}
	cs, _ := st.Corrections(ctx, p.ID)
	if len(cs) != 2 || cs[0].Points != 2.5 || cs[0].Kind != "complaints" || cs[0].SetBy != "insp@example.go.id" {
		t.Fatalf("stored: %+v", cs)
	}
	bad := []struct{ name, body, want string }{
		{"bad kind", "unit,points,reason,kind\nDINKES,1,x,bribe\n", `c.csv:2: kind: "bribe" must be one of`},
		{"over 100", "unit,points,reason\nDINKES,101,x\n", `c.csv:2: points: "101" is not a number of index points`},
		{"no reason", "unit,points,reason\nDINKES,1,\n", "c.csv:2: reason: a reason of 1 to 2000 characters is required"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ParseCorrectionsCSV("c.csv", strings.NewReader(c.body)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
	// A unit outside the period aborts the whole import.
	items, _ = ParseCorrectionsCSV("c.csv", strings.NewReader("unit,points,reason\nDINKES,1,x\nNOPE,1,y\n"))
	if err := st.ImportCorrections(ctx, p, items, "a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown unit: %v", err)
	}
	if cs, _ := st.Corrections(ctx, p.ID); len(cs) != 2 {
		t.Errorf("a failed import left %d items, want 2", len(cs))
	}
}
