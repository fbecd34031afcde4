package survey

import (
	"strings"
	"testing"
)

func TestDefaultInstrumentLoads(t *testing.T) {
	in, err := LoadInstrument(defaultInstrument(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Elements) != 7 || len(in.Items) < 38 {
		t.Fatalf("default instrument: %d elements, %d items", len(in.Elements), len(in.Items))
	}
	for _, typ := range Types {
		ordinal := 0
		for _, it := range in.ItemsFor(typ) {
			if it.Scale.Kind == KindOrdinal {
				ordinal++
			}
		}
		if ordinal < 10 {
			t.Errorf("%s answers %d ordinal items; straight-lining needs at least 10", typ, ordinal)
		}
	}
	if _, i, ok := in.Item("T01"); !ok || i != 0 {
		t.Errorf("Item(T01) = %d, %v", i, ok)
	}
	if _, ok := in.Element("pbj"); !ok {
		t.Error("element pbj missing")
	}
}

// instrumentWith returns a small valid instrument with one part replaced.
func instrumentWith(old, new string) []byte {
	base := `{"code": "mini", "version": 1, "title": {"id": "Mini", "en": "Mini"},
	 "elements": [{"code": "transparansi", "name": {"id": "Transparansi", "en": "Transparency"}, "weight": 1}],
	 "items": [
	  {"code": "T01", "element": "transparansi", "types": ["internal"], "scale": {"kind": "ordinal", "points": 4,
	   "labels": {"id": ["a", "b", "c", "d"], "en": ["a", "b", "c", "d"]}}, "reverse": false, "dont_know": true, "required": true,
	   "text": {"id": "Pertanyaan", "en": "Question"}},
	  {"code": "T02", "element": "transparansi", "types": ["internal", "external"], "scale": {"kind": "experience"},
	   "dont_know": true, "text": {"id": "Pernah?", "en": "Ever?"}}]}`
	return []byte(strings.Replace(base, old, new, 1))
}

func TestLoadInstrumentReportsEveryProblemWithItsPath(t *testing.T) {
	if _, err := LoadInstrument(instrumentWith("", "")); err != nil {
		t.Fatalf("base instrument invalid: %v", err)
	}
	cases := []struct {
		name, old, new string
		want           []string
	}{
		{"unknown element", `"element": "transparansi", "types": ["internal", "external"]`, `"element": "pbx", "types": ["internal", "external"]`, []string{`items[1].element: unknown element "pbx"`}},
		{"points out of range", `"points": 4`, `"points": 3`, []string{"items[0].scale.points: an ordinal scale has 4 to 10 points, not 3"}},
		{"label count", `"en": ["a", "b", "c", "d"]`, `"en": ["a", "b"]`, []string{"items[0].scale.labels.en: needs 4 labels, has 2"}},
		{"unknown type", `"types": ["internal"]`, `"types": ["boss"]`, []string{`items[0].types[0]: unknown respondent type "boss"`}},
		{"duplicate item", `"code": "T02"`, `"code": "T01"`, []string{`items[1].code: duplicate item "T01"`}},
		{"unknown kind", `{"kind": "experience"}`, `{"kind": "slider"}`, []string{`items[1].scale.kind: must be "ordinal", "experience" or "text", not "slider"`}},
		{"reversed experience", `"scale": {"kind": "experience"},`, `"scale": {"kind": "experience"}, "reverse": true,`, []string{"items[1].reverse: only ordinal items can be reversed"}},
		{"missing English", `"en": "Question"`, `"en": ""`, []string{"items[0].text.en: English text is required"}},
		{"zero weight", `"weight": 1`, `"weight": 0`, []string{"elements[0].weight: must be greater than 0"}},
		{"unknown field", `"version": 1`, `"version": 1, "colour": "red"`, []string{`json: unknown field "colour"`}},
		{"bad version", `"version": 1`, `"version": 0`, []string{"version: must be a whole number of at least 1"}},
		{"no items", `"items": [`, `"items": [], "x": [`, []string{"json:"}},
		{"two problems at once", `"points": 4`, `"points": 11`, []string{"items[0].scale.points"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadInstrument(instrumentWith(c.old, c.new))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	// Several problems are all reported.
	_, err := LoadInstrument(instrumentWith(`"element": "transparansi", "types": ["internal"]`, `"element": "nope", "types": ["boss"]`))
	if err == nil || !strings.Contains(err.Error(), "items[0].element") || !strings.Contains(err.Error(), "items[0].types[0]") {
		t.Errorf("not every problem reported: %v", err)
	}
}

func TestParseAnswers(t *testing.T) {
	in, err := LoadInstrument(instrumentWith("", ""))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		typ   string
		raw   map[string]string
		want  []byte
		probs []string // item:code
	}{
		{"valid", Internal, map[string]string{"T01": "3", "T02": "ya"}, []byte{3, AnswerYes}, nil},
		{"english yes/no and dk", Internal, map[string]string{"T01": "dk", "T02": "NO"}, []byte{AnswerDontKnow, AnswerNo}, nil},
		{"required missing", Internal, map[string]string{"T02": "yes"}, nil, []string{"T01:required"}},
		{"out of range", Internal, map[string]string{"T01": "5"}, nil, []string{"T01:invalid_value"}},
		{"zero", Internal, map[string]string{"T01": "0"}, nil, []string{"T01:invalid_value"}},
		{"not a number", Internal, map[string]string{"T01": "1; DROP TABLE responses"}, nil, []string{"T01:invalid_value"}},
		{"unknown item", Internal, map[string]string{"T01": "1", "Z9": "1"}, nil, []string{"Z9:unknown_item"}},
		{"not for type", External, map[string]string{"T01": "1", "T02": "no"}, nil, []string{"T01:not_for_type"}},
		{"empty is unanswered", External, map[string]string{"T01": "", "T02": ""}, []byte{0, 0}, nil},
		{"experience wrong word", Internal, map[string]string{"T01": "2", "T02": "maybe"}, nil, []string{"T02:invalid_value"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, probs := in.ParseAnswers(c.typ, c.raw)
			var got []string
			for _, p := range probs {
				got = append(got, p.Item+":"+p.Code)
			}
			if strings.Join(got, ",") != strings.Join(c.probs, ",") {
				t.Fatalf("problems %v, want %v", got, c.probs)
			}
			if c.want != nil && string(a.Vector) != string(c.want) {
				t.Errorf("vector %v, want %v", a.Vector, c.want)
			}
		})
	}
}

func TestFormatValueInvertsParseValue(t *testing.T) {
	in, _ := LoadInstrument(instrumentWith("", ""))
	for _, it := range in.Items {
		for _, raw := range []string{"", "dk", "1", "2", "3", "4", "yes", "no"} {
			b, _, prob := ParseValue(it, raw)
			if prob != "" {
				continue
			}
			if got := FormatValue(it, b); got != raw {
				t.Errorf("%s: %q → %d → %q", it.Code, raw, b, got)
			}
		}
	}
}
