package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"integritas/analysis"
	"integritas/survey"
)

// FuzzRosterCSV: any file is either refused with problems that name a line
// of the file, or accepted — and then the real store takes every row
// (the parser never accepts what the schema refuses).
func FuzzRosterCSV(f *testing.F) {
	e := newFuzzEnv(f)
	p, err := e.store.Period(context.Background(), "SPI-F")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("unit,type,name,email,phone,grade,years_institution,years_unit,role\nDINKES,internal,Budi Santoso,budi@example.go.id,+62 812-1,III,12,3,\n")
	f.Add("unit;name;years_unit\nDISDIK;Siti;0,5\n")
	f.Add("unit,name,email\nDINKES,\"=HYPERLINK(\"\"http://x\"\")\",a@b\n")
	f.Add("unit,name,role,type\nDINKES,<script>alert(1)</script>,kepala,expert\n")
	f.Add("unit,name,years_institution\nDINKES,Budi,NaN\n")
	f.Add("unit,name\nDINKES,\x00Budi\n")
	f.Fuzz(func(t *testing.T, body string) {
		entries, warnings, err := survey.ParseRosterCSV("r.csv", strings.NewReader(body))
		if err != nil {
			checkImportError(t, err, "r.csv:")
			return
		}
		for _, w := range warnings {
			if !strings.HasPrefix(w.Error(), "r.csv:") {
				t.Fatalf("warning without a line: %q", w)
			}
		}
		for _, x := range entries {
			for _, y := range []*float64{x.YearsInstitution, x.YearsUnit} {
				if y != nil && (math.IsNaN(*y) || *y < 0 || *y > 70) {
					t.Fatalf("years %v accepted", *y)
				}
			}
		}
		err = e.store.ImportRoster(context.Background(), p.ID, entries)
		if err != nil && !errors.Is(err, survey.ErrNotFound) {
			t.Fatalf("the parser accepted a roster the store refuses: %v", err)
		}
	})
}

// FuzzCorrectionsCSV: the same contract for correction-factor items.
func FuzzCorrectionsCSV(f *testing.F) {
	e := newFuzzEnv(f)
	p, err := e.store.Period(context.Background(), "SPI-F")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("unit,points,reason,kind,evidence\nDINKES,2.5,Temuan BPK 2025,law_enforcement,LHP no. 12\n")
	f.Add("unit;points;reason\nDISDIK;1,5;Pengaduan masyarakat\n")
	f.Add("unit,points,reason\nDINKES,NaN,x\n")
	f.Add("unit,points,reason\nDINKES,1e309,y\n")
	f.Add("unit,points,reason\nDINKES,-0,\x00z\n")
	f.Add("unit,points,reason\nDINKES,3,\"=cmd|' /C calc'!A0\"\n")
	f.Fuzz(func(t *testing.T, body string) {
		items, err := survey.ParseCorrectionsCSV("c.csv", strings.NewReader(body))
		if err != nil {
			checkImportError(t, err, "c.csv:")
			return
		}
		for _, c := range items {
			if math.IsNaN(c.Points) || c.Points < 0 || c.Points > 100 {
				t.Fatalf("points %v accepted", c.Points)
			}
		}
		err = e.store.ImportCorrections(context.Background(), p, items, "fuzz")
		if err != nil && !errors.Is(err, survey.ErrNotFound) {
			t.Fatalf("the parser accepted corrections the store refuses: %v", err)
		}
	})
}

// FuzzSettings: method settings are accepted only when valid, and an
// accepted setting survives a round trip through its JSON unchanged, so
// what a result page states is what was used.
func FuzzSettings(f *testing.F) {
	f.Add([]byte(`{"type_weights": {"internal": 0.5, "external": 0.35, "expert": 0.15}, "element_weights": {"pbj": 2}, "categories": "kpk2025", "min_group": 5}`))
	f.Add([]byte(`{"categories": [{"name": "Rentan", "below": 73}, {"name": "Terjaga"}], "weighting": "poststrat"}`))
	f.Add([]byte(`{"type_weights": {"internal": 1e308, "external": 1e308}}`))
	f.Add([]byte(`{"min_group": 2, "target_margin": 0, "seed": -1}`))
	f.Add([]byte(`{"min_group": 5, "min_group": 3}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := analysis.ParseSettings(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "analysis: settings") || !utf8.ValidString(err.Error()) {
				t.Fatalf("unclear error: %v", err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted settings do not validate: %v", err)
		}
		for _, w := range s.TypeWeights {
			if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
				t.Fatalf("type weight %v accepted", w)
			}
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("accepted settings do not marshal: %v", err)
		}
		back, err := analysis.ParseSettings(out)
		if err != nil {
			t.Fatalf("accepted settings refused after a round trip: %v\n%s", err, out)
		}
		// Compared as JSON: an empty map and no map mean the same.
		if again, _ := json.Marshal(back); !bytes.Equal(out, again) {
			t.Fatalf("settings changed in a round trip:\n%s\n%s", out, again)
		}
	})
}

// checkImportError: a refused file is an ImportError whose every problem
// names the file and a line.
func checkImportError(t *testing.T, err error, prefix string) {
	t.Helper()
	var ie *survey.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) == 0 {
		t.Fatalf("not an ImportError with problems: %v", err)
	}
	for _, r := range ie.Rows {
		if r.Line < 1 || !strings.HasPrefix(r.Error(), prefix) || !utf8.ValidString(r.Error()) {
			t.Fatalf("problem without a line: %q", r.Error())
		}
	}
}
