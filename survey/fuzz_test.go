package survey

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzLoadInstrument: any input either loads into an instrument that keeps
// every documented invariant, or is refused with an InstrumentError; never a panic.
func FuzzLoadInstrument(f *testing.F) {
	f.Add(instrumentWith("", ""))
	f.Add(instrumentWith(`"points": 4`, `"points": 40`))
	f.Add([]byte(`{"code":"x","version":1,"items":[{}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := LoadInstrument(data)
		if err != nil {
			var ie *InstrumentError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 {
				t.Fatalf("error without problems: %v", err)
			}
			return
		}
		for i, it := range in.Items {
			if _, j, ok := in.Item(it.Code); !ok || j != i {
				t.Fatalf("item %s not indexed at %d", it.Code, i)
			}
			if _, ok := in.Element(it.Element); !ok {
				t.Fatalf("item %s has unknown element %s", it.Code, it.Element)
			}
			if it.Scale.Kind == KindOrdinal && (it.Scale.Points < 4 || it.Scale.Points > 10) {
				t.Fatalf("item %s has %d points", it.Code, it.Scale.Points)
			}
		}
		// A loaded instrument survives a round trip through JSON.
		out, _ := json.Marshal(in)
		if _, err := LoadInstrument(out); err != nil {
			t.Fatalf("re-marshalled instrument refused: %v", err)
		}
	})
}

// FuzzParseUnitsCSV: any file imports units that satisfy the store's
// constraints, or fails with problems that name a line.
func FuzzParseUnitsCSV(f *testing.F) {
	f.Add(testUnits)
	f.Add("code;name;parent_code;head_email;internal_population;external_population;expert_population\nA;B;;;1;;\n")
	f.Add("code,name\n\"A")
	f.Add("\xEF\xBB\xBF" + testUnits + "X,\xff,,,,,\n")
	f.Fuzz(func(t *testing.T, body string) {
		units, err := ParseUnitsCSV("u.csv", strings.NewReader(body))
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("not an ImportError: %v", err)
			}
			for _, r := range ie.Rows {
				if r.Line < 1 || !strings.HasPrefix(r.Error(), "u.csv:") {
					t.Fatalf("problem without a line: %q", r.Error())
				}
			}
			return
		}
		for _, u := range units {
			if !unitCodePattern.MatchString(u.Code) || u.Name == "" || !utf8.ValidString(u.Name) {
				t.Fatalf("invalid unit accepted: %+v", u)
			}
			for _, n := range u.Population {
				if n < 0 {
					t.Fatalf("negative population accepted: %+v", u)
				}
			}
		}
	})
}

// FuzzParseAnswers: validation never panics, and an accepted answer vector
// holds only values its items allow, and formats back to what it parsed.
func FuzzParseAnswers(f *testing.F) {
	in, err := LoadInstrument(defaultInstrumentBytes())
	if err != nil {
		f.Fatal(err)
	}
	f.Add("internal", "T01", "3", "SOS01", "5", "IT04", "ya")
	f.Add("external", "T01", "dk", "SOS02", "9", "X01", "<script>")
	f.Add("expert", "golongan", "III", "PBJ01", "yes", "Z", "")
	f.Fuzz(func(t *testing.T, typ, k1, v1, k2, v2, k3, v3 string) {
		raw := map[string]string{k1: v1, k2: v2, k3: v3}
		a, probs := in.ParseAnswers(typ, raw)
		if len(probs) > 0 {
			for _, p := range probs {
				if p.Code == "" || !utf8.ValidString(p.Value) {
					t.Fatalf("bad problem %+v", p)
				}
			}
			return
		}
		if len(a.Vector) != len(in.Items) {
			t.Fatalf("vector length %d", len(a.Vector))
		}
		for i, b := range a.Vector {
			it := in.Items[i]
			if b == AnswerNone {
				continue
			}
			if !it.For(typ) {
				t.Fatalf("%s answered by %s", it.Code, typ)
			}
			switch it.Scale.Kind {
			case KindOrdinal:
				if b != AnswerDontKnow && (b < 1 || int(b) > it.Scale.Points) {
					t.Fatalf("%s holds %d", it.Code, b)
				}
			case KindExperience:
				if b != AnswerYes && b != AnswerNo && b != AnswerDontKnow {
					t.Fatalf("%s holds %d", it.Code, b)
				}
			case KindText:
				if b != AnswerText || a.Texts[it.Code] == "" || !utf8.ValidString(a.Texts[it.Code]) {
					t.Fatalf("%s text %q", it.Code, a.Texts[it.Code])
				}
				continue
			}
			if b2, _, p := ParseValue(it, FormatValue(it, b)); p != "" || b2 != b {
				t.Fatalf("%s: %d does not round-trip", it.Code, b)
			}
		}
	})
}

// FuzzParseResponsesCSV: an accepted file yields responses whose vectors
// the store's constraints accept; a refused one names lines.
func FuzzParseResponsesCSV(f *testing.F) {
	in, err := LoadInstrument(defaultInstrumentBytes())
	if err != nil {
		f.Fatal(err)
	}
	frame := ResponseFrame{PeriodID: 1, Instrument: in, Units: map[string]int64{"DINKES": 1}, Submitted: time.Now()}
	f.Add("unit,type,duration_seconds,T01,SOS01,SOS02\nDINKES,internal,300,4,5,dk\n")
	f.Add("unit,type,duration_seconds,T01,SOS01,SOS02,X01\nDINKES,external,,1,1,1,\"=cmd|' /C calc'!A0\"\n")
	f.Add("unit,type,duration_seconds\n,,\n")
	f.Add("unit,type,duration_seconds,T01\nDINKES,external,,\n") // an empty row: refused, strict or not
	f.Fuzz(func(t *testing.T, body string) {
		rs, err := ParseResponsesCSV("r.csv", strings.NewReader(body), frame)
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("not an ImportError: %v", err)
			}
			return
		}
		for _, r := range rs {
			if r.UnitID != 1 || !ValidType(r.Type) || len(r.Answers.Vector) != len(in.Items) || r.Answers.Answered() == 0 {
				t.Fatalf("invalid response accepted: %+v", r)
			}
		}
	})
}
