package survey

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Answer bytes in a response's answer vector, one byte per instrument item in
// the instrument's order. Ordinal answers are their position 1..k. The
// analysis package decodes the same values.
const (
	AnswerNone     byte = 0   // not answered (or not asked of this type)
	AnswerYes      byte = 1   // experience item: yes, seen or experienced
	AnswerNo       byte = 2   // experience item: no
	AnswerText     byte = 1   // text item: the text is in text_answers
	AnswerDontKnow byte = 255 // "tidak tahu": missing, never zero
)

// MaxTextLen bounds a free-text answer, in bytes.
const MaxTextLen = 4000

// Problem codes; the server turns them into messages from the locale files.
const (
	ProblemUnknownItem   = "unknown_item"
	ProblemNotForType    = "not_for_type"
	ProblemInvalidValue  = "invalid_value"
	ProblemNoDontKnow    = "dont_know_not_allowed"
	ProblemRequired      = "required"
	ProblemTooLong       = "too_long"
	ProblemInvalidText   = "invalid_text"
	ProblemInvalidStrata = "invalid_stratum"
)

// Problem is one reason a set of answers was refused, tied to an item code.
type Problem struct {
	Item  string `json:"item"`
	Code  string `json:"code"`
	Value string `json:"value,omitempty"`
}

// Answers is a validated set of answers ready to store.
type Answers struct {
	Vector  []byte            // one byte per instrument item
	Texts   map[string]string // free-text answers by item code
	Stratum string            // the stratification option chosen, or ""
}

// Answered counts the items that hold an answer (tidak tahu included).
func (a Answers) Answered() int {
	n := 0
	for _, b := range a.Vector {
		if b != AnswerNone {
			n++
		}
	}
	return n
}

// ParseAnswers validates raw answers (values as in the response CSV format:
// "1".."k", "yes"/"no" or "ya"/"tidak", "dk", free text) of a respondent of
// type t. It returns every problem, sorted by the item's position.
func (in *Instrument) ParseAnswers(t string, raw map[string]string) (Answers, []Problem) {
	a := Answers{Vector: make([]byte, len(in.Items)), Texts: map[string]string{}}
	var probs []Problem
	strataCode := ""
	if in.Strata != nil {
		strataCode = in.Strata.Code
	}
	for code, v := range raw {
		if strataCode != "" && code == strataCode {
			if p := in.parseStratum(t, v, &a); p != nil {
				probs = append(probs, *p)
			}
			continue
		}
		it, i, ok := in.Item(code)
		if !ok {
			probs = append(probs, Problem{Item: code, Code: ProblemUnknownItem})
			continue
		}
		if !it.For(t) {
			if strings.TrimSpace(v) != "" {
				probs = append(probs, Problem{Item: code, Code: ProblemNotForType})
			}
			continue
		}
		b, text, problem := ParseValue(it, v)
		if problem != "" {
			probs = append(probs, Problem{Item: code, Code: problem, Value: clip(v)})
			continue
		}
		a.Vector[i] = b
		if text != "" {
			a.Texts[code] = text
		}
	}
	for i, it := range in.Items {
		if it.Required && it.For(t) && a.Vector[i] == AnswerNone && !hasProblem(probs, it.Code) {
			probs = append(probs, Problem{Item: it.Code, Code: ProblemRequired})
		}
	}
	sort.SliceStable(probs, func(x, y int) bool { return in.position(probs[x].Item) < in.position(probs[y].Item) })
	return a, probs
}

func (in *Instrument) parseStratum(t, v string, a *Answers) *Problem {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if !in.Strata.For(t) {
		return &Problem{Item: in.Strata.Code, Code: ProblemNotForType}
	}
	for _, o := range in.Strata.Options {
		if o.Code == v {
			a.Stratum = v
			return nil
		}
	}
	return &Problem{Item: in.Strata.Code, Code: ProblemInvalidStrata, Value: clip(v)}
}

// position orders problems: items by their place, others (strata, unknown) last.
func (in *Instrument) position(code string) int {
	if i, ok := in.itemIndex[code]; ok {
		return i
	}
	return len(in.Items)
}

func hasProblem(probs []Problem, item string) bool {
	for _, p := range probs {
		if p.Item == item {
			return true
		}
	}
	return false
}

// SkippedRequired counts the required items of type t that the answer
// vector leaves unanswered ("tidak tahu" is an answer). Web forms never
// store such a vector; a paper import does unless it runs strict, and the
// response is then "paper, incomplete". It is derived from the answers, so
// marking it stores nothing new about the respondent.
func (in *Instrument) SkippedRequired(t string, vector []byte) int {
	n := 0
	for i, it := range in.Items {
		if it.Required && it.For(t) && (i >= len(vector) || vector[i] == AnswerNone) {
			n++
		}
	}
	return n
}

// ParseValue turns one raw answer into its stored byte (and the text for a
// text item), or names the problem. An empty value is "not answered".
func ParseValue(it Item, raw string) (b byte, text string, problem string) {
	if it.Scale.Kind == KindText {
		// NUL is no character a person types, and SQLite's length() stops
		// at it, so the store's CHECK would refuse the text at commit time.
		if !utf8.ValidString(raw) || strings.IndexByte(raw, 0) >= 0 {
			return 0, "", ProblemInvalidText
		}
		text = strings.TrimSpace(raw)
		if text == "" {
			return AnswerNone, "", ""
		}
		if len(text) > MaxTextLen {
			return 0, "", ProblemTooLong
		}
		return AnswerText, text, ""
	}
	v := strings.ToLower(strings.TrimSpace(raw))
	switch v {
	case "":
		return AnswerNone, "", ""
	case "dk":
		if !it.DontKnow {
			return 0, "", ProblemNoDontKnow
		}
		return AnswerDontKnow, "", ""
	}
	switch it.Scale.Kind {
	case KindOrdinal:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > it.Scale.Points {
			return 0, "", ProblemInvalidValue
		}
		return byte(n), "", ""
	case KindExperience:
		switch v {
		case "yes", "ya":
			return AnswerYes, "", ""
		case "no", "tidak":
			return AnswerNo, "", ""
		}
	}
	return 0, "", ProblemInvalidValue
}

// FormatValue is ParseValue's inverse for ordinal and experience items:
// "1".."k", "yes", "no", "dk", or "" when not answered.
func FormatValue(it Item, b byte) string {
	switch {
	case b == AnswerNone:
		return ""
	case b == AnswerDontKnow:
		return "dk"
	case it.Scale.Kind == KindExperience && b == AnswerYes:
		return "yes"
	case it.Scale.Kind == KindExperience && b == AnswerNo:
		return "no"
	case it.Scale.Kind == KindOrdinal:
		return strconv.Itoa(int(b))
	}
	return ""
}

// clip keeps echoed values short and valid UTF-8.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) > 64 {
		s = s[:64]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}
