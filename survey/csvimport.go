package survey

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"integritas/locale"
)

// RowError is one problem (or note) in an imported file:
// file:line: column: message, the message an id of locales/import.*.json.
type RowError struct {
	File   string
	Line   int
	Column string
	Key    string // message id
	Args   []any  // placeholders as alternating name, value
}

// Text renders the problem in the reader's language.
func (e RowError) Text(tr locale.Translator) string {
	msg := render(tr, e.Key, e.Args)
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Column, msg)
}

func (e RowError) Error() string { return e.Text(english()) }

// ImportError lists the problems that made an import change nothing.
type ImportError struct{ Rows []RowError }

// maxReported bounds how many row problems an import reports.
const maxReported = 20

// Lines renders the problems in the reader's language, at most
// maxReported of them and a line saying how many more there are.
func (e *ImportError) Lines(tr locale.Translator) []string {
	var out []string
	for i, r := range e.Rows {
		if i == maxReported {
			out = append(out, tr.T("import.more", "Count", len(e.Rows)-maxReported))
			break
		}
		out = append(out, r.Text(tr))
	}
	return out
}

func (e *ImportError) Error() string { return strings.Join(e.Lines(english()), "\n") }

// table reads a CSV file with a header row. It accepts a UTF-8 byte-order
// mark and ';' as separator (what spreadsheets write in Indonesian locales).
type table struct {
	name   string
	r      *csv.Reader
	header []string
	col    map[string]int
	line   int
	errs   []RowError
}

func newTable(name string, src io.Reader, required, optional []string) (*table, error) {
	br := bufio.NewReader(src)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	first, _ := br.Peek(4096)
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	r := csv.NewReader(br)
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.ReuseRecord = false
	t := &table{name: name, r: r, col: map[string]int{}}
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ImportError{Rows: []RowError{{File: name, Line: 1, Key: "import.empty"}}}
	}
	if err != nil {
		return nil, &ImportError{Rows: []RowError{{File: name, Line: 1, Key: csvMessage(err), Args: csvArgs(err)}}}
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		header[i] = h
		if _, dup := t.col[h]; dup {
			t.errs = append(t.errs, RowError{File: name, Line: 1, Column: h, Key: "import.column.twice"})
		}
		t.col[h] = i
	}
	t.header = header
	for _, c := range required {
		if _, ok := t.col[c]; !ok {
			t.errs = append(t.errs, RowError{File: name, Line: 1, Column: c, Key: "import.column.missing"})
		}
	}
	if len(optional) > 0 {
		known := map[string]bool{}
		for _, c := range append(append([]string{}, required...), optional...) {
			known[strings.ToLower(c)] = true
		}
		for _, h := range header {
			if !known[h] {
				t.errs = append(t.errs, RowError{File: name, Line: 1, Column: h, Key: "import.column.unknown"})
			}
		}
	}
	if len(t.errs) > 0 {
		return nil, &ImportError{Rows: t.errs}
	}
	r.FieldsPerRecord = len(header)
	return t, nil
}

// next returns the next record, false at the end. A malformed record is
// recorded as a problem and skipped so that later rows are checked too.
func (t *table) next() ([]string, bool) {
	for {
		rec, err := t.r.Read()
		if errors.Is(err, io.EOF) {
			return nil, false
		}
		if err != nil {
			// FieldPos is only defined after a successful Read.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				t.line = pe.StartLine
			} else {
				t.line++
			}
			t.fail("", csvMessage(err), csvArgs(err)...)
			if pe == nil || pe.Err != csv.ErrFieldCount {
				return nil, false
			}
			continue
		}
		t.line, _ = t.r.FieldPos(0)
		if isBlank(rec) {
			continue
		}
		for i, v := range rec {
			// NUL bytes come from UTF-16 files, and SQLite's length() stops
			// at them, so the store's CHECKs would refuse the row.
			if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
				t.fail(t.header[i], "import.utf8")
				rec[i] = strings.ReplaceAll(strings.ToValidUTF8(v, ""), "\x00", "")
			}
		}
		return rec, true
	}
}

// get returns a column's trimmed value ("" when the column is absent).
func (t *table) get(rec []string, col string) string {
	i, ok := t.col[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// fail records a problem: a message id and its placeholders as
// alternating name, value.
func (t *table) fail(col, key string, kv ...any) {
	t.errs = append(t.errs, RowError{File: t.name, Line: t.line, Column: col, Key: key, Args: kv})
}

// err returns the collected problems, or nil.
func (t *table) err() error {
	if len(t.errs) == 0 {
		return nil
	}
	return &ImportError{Rows: t.errs}
}

func isBlank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// csvMessage is the message id for a CSV reader's error; csvArgs its
// placeholders.
func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch pe.Err {
		case csv.ErrFieldCount:
			return "import.csv.field_count"
		case csv.ErrQuote, csv.ErrBareQuote:
			return "import.csv.quote"
		}
	}
	return "import.csv.unreadable"
}

func csvArgs(err error) []any {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if pe.Err == csv.ErrQuote || pe.Err == csv.ErrBareQuote {
			return []any{"Column", pe.Column}
		}
		return []any{"Detail", pe.Err.Error()}
	}
	return []any{"Detail", err.Error()}
}
