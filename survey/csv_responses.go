package survey

import (
	"io"
	"strconv"
	"time"
)

// ResponseFrame is what a response import checks rows against.
type ResponseFrame struct {
	PeriodID   int64
	Instrument *Instrument
	Units      map[string]int64 // unit code -> id, the period's units
	Submitted  time.Time        // the hour recorded for imported responses
	// Strict refuses a row that skips a required item. Without it the
	// skipped item is stored as not answered (missing in the figures, as
	// spi-method §3 treats any missing answer) and the response counts as
	// "paper, incomplete": a paper form cannot be sent back to be finished.
	Strict bool
}

// SubmittedLayout is the optional submitted_at column of a response import:
// the hour the form was filled, as paper logs and other tools record it.
const SubmittedLayout = "2006-01-02T15"

// ParseResponsesCSV reads responses with the header
// unit,type,duration_seconds,<item codes…> (and the strata code, if any, and
// optionally submitted_at, the hour the form was filled, YYYY-MM-DDTHH in
// UTC, no later than the import, so the answers take part in the
// time-based checks of spi-method §6 like web answers):
// ordinal answers as 1..k, experience answers yes/no (ya/tidak), dk for
// "tidak tahu", empty for not answered, free text as text. A skipped
// required item is refused only when f.Strict; otherwise it stays not
// answered and Instrument.SkippedRequired counts it.
func ParseResponsesCSV(name string, r io.Reader, f ResponseFrame) ([]NewResponse, error) {
	optional := []string{"submitted_at"}
	for _, it := range f.Instrument.Items {
		optional = append(optional, it.Code)
	}
	if f.Instrument.Strata != nil {
		optional = append(optional, f.Instrument.Strata.Code)
	}
	t, err := newTable(name, r, []string{"unit", "type", "duration_seconds"}, optional)
	if err != nil {
		return nil, err
	}
	// Item columns keep their case in the instrument; the header was lowered.
	codes := map[string]string{}
	for _, c := range optional[1:] {
		codes[lower(c)] = c
	}
	var out []NewResponse
	for rec, ok := t.next(); ok; rec, ok = t.next() {
		nr := NewResponse{PeriodID: f.PeriodID, Channel: ChannelPaper, Submitted: f.Submitted, Duration: -1, Lang: "id",
			Type: lower(t.get(rec, "type"))}
		unit := t.get(rec, "unit")
		id, known := f.Units[unit]
		if !known {
			t.fail("unit", "import.unit.not_in_period", "Value", quote(unit))
		}
		nr.UnitID = id
		if !ValidType(nr.Type) {
			t.fail("type", "import.type.any", "Value", quote(nr.Type))
		}
		if v := t.get(rec, "submitted_at"); v != "" {
			at, err := time.Parse(SubmittedLayout, v)
			switch {
			case err != nil:
				t.fail("submitted_at", "import.submitted_at.format", "Value", quote(v))
			case at.After(f.Submitted):
				t.fail("submitted_at", "import.submitted_at.future", "Value", quote(v), "Import", f.Submitted.UTC().Format(SubmittedLayout))
			default:
				nr.Submitted = at
			}
		}
		if v := t.get(rec, "duration_seconds"); v != "" {
			d, err := strconv.Atoi(v)
			if err != nil || d < 0 || d > 604800 {
				t.fail("duration_seconds", "import.duration", "Value", quote(v))
			}
			nr.Duration = d
		}
		raw := map[string]string{}
		for _, h := range t.header {
			if c, ok := codes[h]; ok {
				raw[c] = rec[t.col[h]]
			}
		}
		if ValidType(nr.Type) {
			a, probs := f.Instrument.ParseAnswers(nr.Type, raw)
			refused := false
			for _, p := range probs {
				if p.Code == ProblemRequired && !f.Strict {
					continue
				}
				refused = true
				t.fail(p.Item, "import.answer."+p.Code, "Value", quote(p.Value))
			}
			// A row that answers nothing is refused even when its skipped
			// required items were waived (not strict): it would be stored as
			// a response with no answer at all, counted in n and the response
			// rate yet in no figure.
			if !refused && a.Answered() == 0 {
				t.fail("", "import.answer.none")
			}
			nr.Answers = a
		}
		out = append(out, nr)
	}
	if err := t.err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &ImportError{Rows: []RowError{{File: name, Line: 2, Key: "import.no_rows.responses"}}}
	}
	return out, nil
}

// quote echoes a value from the file, short and quoted, in a message.
func quote(v string) string { return strconv.Quote(clip(v)) }

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
