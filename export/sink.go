package export

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"integritas/results"
)

// Formats of an export.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// ErrFormat reports an export format other than CSV or XLSX.
var ErrFormat = errors.New("export: format must be csv or xlsx")

// ContentType is the MIME type of a format.
func ContentType(format string) string {
	if format == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// sink writes one data table and its notes. Cells are string (text, always
// neutralised), float64, int or nil (an empty cell: a suppressed figure).
type sink interface {
	header(cols []string) error
	row(cells []any) error
	// notes ends the data table and writes the notes: a sheet of their own
	// in XLSX, comment lines starting with "#" after the table in CSV.
	notes(lines []string) error
	close() error
}

func newSink(format string, w io.Writer, t Text) (sink, error) {
	switch format {
	case CSV:
		bw := bufio.NewWriterSize(w, 64<<10)
		return &csvSink{bw: bw, cw: csv.NewWriter(bw)}, nil
	case XLSX:
		return newXLSXSink(w, t)
	}
	return nil, fmt.Errorf("%w (got %q)", ErrFormat, format)
}

// csvSink writes RFC 4180 CSV; numbers with 4 decimals like `integritas results`.
type csvSink struct {
	bw  *bufio.Writer
	cw  *csv.Writer
	buf []string
}

func (s *csvSink) header(cols []string) error { return s.cw.Write(cols) }

func (s *csvSink) row(cells []any) error {
	s.buf = s.buf[:0]
	for _, c := range cells {
		s.buf = append(s.buf, csvCell(c))
	}
	return s.cw.Write(s.buf)
}

func csvCell(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case string:
		return results.SafeCell(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', 4, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return results.SafeCell(fmt.Sprint(c))
}

// notes writes "# " comment lines: encoding/csv reads them back as comments
// with Reader.Comment = '#'. A line never holds a line break.
func (s *csvSink) notes(lines []string) error {
	s.cw.Flush()
	if err := s.cw.Error(); err != nil {
		return err
	}
	for _, l := range lines {
		l = strings.NewReplacer("\r", " ", "\n", " ").Replace(l)
		if _, err := s.bw.WriteString("# " + l + "\n"); err != nil {
			return err
		}
	}
	return nil
}

func (s *csvSink) close() error {
	s.cw.Flush()
	if err := s.cw.Error(); err != nil {
		return err
	}
	return s.bw.Flush()
}

// xlsxSink writes a workbook through excelize's StreamWriter, which spills
// rows to a temporary file past 16 MB, so memory stays flat however many
// rows there are.
type xlsxSink struct {
	w    io.Writer
	f    *excelize.File
	t    Text
	sw   *excelize.StreamWriter
	n    int // rows written to the current sheet
	bold int
	cell []any
}

func newXLSXSink(w io.Writer, t Text) (*xlsxSink, error) {
	f := excelize.NewFile()
	data := sheetName(t.Sheet, "data")
	if err := f.SetSheetName("Sheet1", data); err != nil {
		f.Close()
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(data)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	return &xlsxSink{w: w, f: f, t: t, sw: sw, bold: bold}, nil
}

// sheetName is a valid sheet name: at most 31 characters, none of []:*?/\.
func sheetName(s, fallback string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if s == "" {
		return fallback
	}
	return s
}

func (s *xlsxSink) next() string {
	s.n++
	cell, _ := excelize.CoordinatesToCellName(1, s.n)
	return cell
}

func (s *xlsxSink) header(cols []string) error {
	cells := make([]any, len(cols))
	for i, c := range cols {
		cells[i] = excelize.Cell{StyleID: s.bold, Value: results.SafeCell(c)}
	}
	if err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return s.sw.SetRow(s.next(), cells)
}

func (s *xlsxSink) row(cells []any) error {
	s.cell = s.cell[:0]
	for _, c := range cells {
		switch v := c.(type) {
		case string:
			c = results.SafeCell(v)
		case nil, int, float64, bool:
		default:
			c = results.SafeCell(fmt.Sprint(c))
		}
		s.cell = append(s.cell, c)
	}
	return s.sw.SetRow(s.next(), s.cell)
}

func (s *xlsxSink) notes(lines []string) error {
	if err := s.sw.Flush(); err != nil {
		return err
	}
	name := sheetName(s.t.NotesSheet, "notes")
	if _, err := s.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := s.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 120); err != nil {
		return err
	}
	s.sw, s.n = sw, 0
	for _, l := range lines {
		if err := s.sw.SetRow(s.next(), []any{results.SafeCell(l)}); err != nil {
			return err
		}
	}
	return nil
}

func (s *xlsxSink) close() error {
	defer s.f.Close()
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	s.f.SetActiveSheet(0)
	// File.Write zips the workbook into a bytes.Buffer first, which would
	// hold the whole compressed file in memory; a zip writer on our writer
	// streams each part, the sheet copied from excelize's temporary file,
	// and leaves that buffer empty.
	s.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(s.w) })
	if err := s.f.Write(io.Discard); err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	return nil
}

// Text is what a reader of an export reads besides codes, in their language.
type Text struct {
	Sheet      string // name of the data sheet, e.g. "Hasil"
	NotesSheet string // name of the notes sheet, e.g. "Catatan"
}
