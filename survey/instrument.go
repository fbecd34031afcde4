package survey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Respondent types (spi-method.md §1).
const (
	Internal = "internal"
	External = "external"
	Expert   = "expert"
)

// Types lists the respondent types in their order of presentation.
var Types = []string{Internal, External, Expert}

// ValidType reports whether t is a known respondent type.
func ValidType(t string) bool { return t == Internal || t == External || t == Expert }

// Scale kinds of an item.
const (
	KindOrdinal    = "ordinal"
	KindExperience = "experience"
	KindText       = "text"
)

// Text is a bilingual string: Bahasa Indonesia first, English second.
type Text struct {
	ID string `json:"id"`
	EN string `json:"en"`
}

// In returns the text in lang ("id" or "en"), falling back to Indonesian.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.ID
}

// Labels are a scale's answer labels per language, lowest position first.
type Labels struct {
	ID []string `json:"id"`
	EN []string `json:"en"`
}

// In returns the labels in lang, falling back to Indonesian.
func (l Labels) In(lang string) []string {
	if lang == "en" && len(l.EN) > 0 {
		return l.EN
	}
	return l.ID
}

// Scale is how an item is answered.
type Scale struct {
	Kind   string `json:"kind"`
	Points int    `json:"points,omitempty"`
	Labels Labels `json:"labels"`
}

// Element is an element (dimension) of integrity.
type Element struct {
	Code           string  `json:"code"`
	Name           Text    `json:"name"`
	Weight         float64 `json:"weight"`
	Description    Text    `json:"description"`
	Recommendation Text    `json:"recommendation"`
}

// Item is one question.
type Item struct {
	Code     string   `json:"code"`
	Element  string   `json:"element"`
	Types    []string `json:"types"`
	Scale    Scale    `json:"scale"`
	Reverse  bool     `json:"reverse"`
	DontKnow bool     `json:"dont_know"`
	Required bool     `json:"required"`
	Text     Text     `json:"text"`
}

// For reports whether respondents of type t answer the item.
func (it Item) For(t string) bool {
	for _, x := range it.Types {
		if x == t {
			return true
		}
	}
	return false
}

// Option is one choice of the stratification question.
type Option struct {
	Code  string `json:"code"`
	Label Text   `json:"label"`
}

// Strata is the optional attribute asked for post-stratification weights
// (e.g. grade band), matched against the roster's grade column.
type Strata struct {
	Code    string   `json:"code"`
	Types   []string `json:"types"`
	Text    Text     `json:"text"`
	Options []Option `json:"options"`
}

// For reports whether respondents of type t are asked the attribute.
func (s *Strata) For(t string) bool {
	if s == nil {
		return false
	}
	for _, x := range s.Types {
		if x == t {
			return true
		}
	}
	return false
}

// Instrument is a versioned questionnaire definition.
type Instrument struct {
	Code     string    `json:"code"`
	Version  int       `json:"version"`
	Title    Text      `json:"title"`
	Intro    Text      `json:"intro"`
	Elements []Element `json:"elements"`
	Strata   *Strata   `json:"strata,omitempty"`
	Items    []Item    `json:"items"`

	itemIndex map[string]int
}

// Item returns the item with the code and its position in the answer vector.
func (in *Instrument) Item(code string) (Item, int, bool) {
	i, ok := in.itemIndex[code]
	if !ok {
		return Item{}, -1, false
	}
	return in.Items[i], i, true
}

// Element returns the element with the code.
func (in *Instrument) Element(code string) (Element, bool) {
	for _, e := range in.Elements {
		if e.Code == code {
			return e, true
		}
	}
	return Element{}, false
}

// ItemsFor returns the items respondents of type t answer, in order.
func (in *Instrument) ItemsFor(t string) []Item {
	var out []Item
	for _, it := range in.Items {
		if it.For(t) {
			out = append(out, it)
		}
	}
	return out
}

// InstrumentError lists every problem found in an instrument definition.
type InstrumentError struct{ Problems []string }

func (e *InstrumentError) Error() string {
	return "survey: invalid instrument:\n  " + strings.Join(e.Problems, "\n  ")
}

var codePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,31}$`)

// maxItems bounds the answer vector (and the responses.answers CHECK).
const maxItems = 1000

// LoadInstrument parses and validates a JSON instrument definition, reporting
// every problem with its path (items[12].element: unknown element "pbx").
func LoadInstrument(data []byte) (*Instrument, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var in Instrument
	if err := dec.Decode(&in); err != nil {
		return nil, &InstrumentError{Problems: []string{"json: " + err.Error()}}
	}
	if dec.More() {
		return nil, &InstrumentError{Problems: []string{"json: trailing data after the instrument object"}}
	}
	if p := in.validate(); len(p) > 0 {
		return nil, &InstrumentError{Problems: p}
	}
	in.itemIndex = make(map[string]int, len(in.Items))
	for i, it := range in.Items {
		in.itemIndex[it.Code] = i
	}
	return &in, nil
}

func (in *Instrument) validate() []string {
	var p []string
	bad := func(path, format string, args ...any) { p = append(p, path+": "+fmt.Sprintf(format, args...)) }
	if !codePattern.MatchString(strings.ReplaceAll(in.Code, "-", "_")) {
		bad("code", "must be 1-32 letters, digits, '-' or '_', starting with a letter")
	}
	if in.Version < 1 {
		bad("version", "must be a whole number of at least 1")
	}
	checkText(bad, "title", in.Title)
	if len(in.Elements) == 0 {
		bad("elements", "at least one element is required")
	}
	elements := map[string]bool{}
	for i, e := range in.Elements {
		path := fmt.Sprintf("elements[%d]", i)
		if !codePattern.MatchString(e.Code) {
			bad(path+".code", "%q is not a valid code (letters, digits, '_', starting with a letter)", e.Code)
		} else if elements[e.Code] {
			bad(path+".code", "duplicate element %q", e.Code)
		}
		elements[e.Code] = true
		checkText(bad, path+".name", e.Name)
		if e.Weight <= 0 || e.Weight > 100 {
			bad(path+".weight", "must be greater than 0 and at most 100")
		}
	}
	if s := in.Strata; s != nil {
		if !codePattern.MatchString(s.Code) {
			bad("strata.code", "%q is not a valid code", s.Code)
		}
		checkTypes(bad, "strata.types", s.Types)
		checkText(bad, "strata.text", s.Text)
		if len(s.Options) < 2 {
			bad("strata.options", "at least two options are required")
		}
		seen := map[string]bool{}
		for i, o := range s.Options {
			path := fmt.Sprintf("strata.options[%d]", i)
			if o.Code == "" || len(o.Code) > 32 || seen[o.Code] {
				bad(path+".code", "must be a unique, non-empty code of at most 32 characters")
			}
			seen[o.Code] = true
			checkText(bad, path+".label", o.Label)
		}
	}
	if len(in.Items) == 0 {
		bad("items", "at least one item is required")
	}
	if len(in.Items) > maxItems {
		bad("items", "at most %d items are allowed", maxItems)
	}
	codes := map[string]bool{}
	for i, it := range in.Items {
		path := fmt.Sprintf("items[%d]", i)
		if !codePattern.MatchString(it.Code) {
			bad(path+".code", "%q is not a valid code (letters, digits, '_', starting with a letter)", it.Code)
		} else if codes[strings.ToLower(it.Code)] {
			// Case-insensitive: CSV headers are matched without case.
			bad(path+".code", "duplicate item %q", it.Code)
		}
		codes[strings.ToLower(it.Code)] = true
		if !elements[it.Element] {
			bad(path+".element", "unknown element %q", it.Element)
		}
		checkTypes(bad, path+".types", it.Types)
		checkText(bad, path+".text", it.Text)
		checkScale(bad, path, it)
	}
	return p
}

func checkScale(bad func(string, string, ...any), path string, it Item) {
	sc := it.Scale
	switch sc.Kind {
	case KindOrdinal:
		if sc.Points < 4 || sc.Points > 10 {
			bad(path+".scale.points", "an ordinal scale has 4 to 10 points, not %d", sc.Points)
			return
		}
		if len(sc.Labels.ID) != sc.Points {
			bad(path+".scale.labels.id", "needs %d labels, has %d", sc.Points, len(sc.Labels.ID))
		}
		if len(sc.Labels.EN) != sc.Points {
			bad(path+".scale.labels.en", "needs %d labels, has %d", sc.Points, len(sc.Labels.EN))
		}
	case KindExperience, KindText:
		if sc.Points != 0 {
			bad(path+".scale.points", "only ordinal scales have points")
		}
		if it.Reverse {
			bad(path+".reverse", "only ordinal items can be reversed")
		}
		if sc.Kind == KindText && it.DontKnow {
			bad(path+".dont_know", "text items have no \"tidak tahu\" answer")
		}
	default:
		bad(path+".scale.kind", "must be \"ordinal\", \"experience\" or \"text\", not %q", sc.Kind)
	}
}

func checkTypes(bad func(string, string, ...any), path string, types []string) {
	if len(types) == 0 {
		bad(path, "at least one respondent type is required")
	}
	seen := map[string]bool{}
	for j, t := range types {
		if !ValidType(t) {
			bad(fmt.Sprintf("%s[%d]", path, j), "unknown respondent type %q (internal, external or expert)", t)
		} else if seen[t] {
			bad(fmt.Sprintf("%s[%d]", path, j), "duplicate respondent type %q", t)
		}
		seen[t] = true
	}
}

func checkText(bad func(string, string, ...any), path string, t Text) {
	if strings.TrimSpace(t.ID) == "" {
		bad(path+".id", "Indonesian text is required")
	}
	if strings.TrimSpace(t.EN) == "" {
		bad(path+".en", "English text is required")
	}
}
