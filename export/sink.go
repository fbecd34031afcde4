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
)

// Formats of an export.
const (
	CSV  = "csv"
	XLSX = "xlsx"
	// ZIP is the statistician's package: every table as its own CSV file,
	// the notes as README.txt, and (answers) a codebook, SPSS syntax and an
	// R script, the LimeSurvey convention.
	ZIP = "zip"
)

// Formats lists the export formats in the order pages offer them.
var Formats = []string{CSV, XLSX, ZIP}

// ErrFormat reports an export format other than CSV, XLSX or ZIP.
var ErrFormat = errors.New("export: format must be csv, xlsx or zip")

// ContentType is the MIME type of a format.
func ContentType(format string) string {
	switch format {
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ZIP:
		return "application/zip"
	}
	return "text/csv; charset=utf-8"
}

// table names one data table: its file inside a ZIP and its sheet in XLSX.
type table struct {
	file  string // e.g. "results.csv"
	sheet string // e.g. "Hasil"
	cols  []string
}

// sink writes data tables and their notes. Cells are string (text, always
// neutralised), float64, exact, int or nil (an empty cell: a suppressed figure).
type sink interface {
	// table starts a table with its header row. A plain CSV holds one table
	// only; the others are skipped (wants reports which are kept).
	table(t table) error
	// wants reports whether rows of a further table are kept by the format.
	wants(file string) bool
	row(cells []any) error
	// notes ends the data and writes the notes: a sheet of their own in
	// XLSX, README.txt in a ZIP; a plain CSV holds data only, never comment
	// lines that pandas, R and Excel would read as rows.
	notes(lines []string) error
	// file adds a further file of a ZIP (codebook, syntax); others skip it.
	file(name string, body func(io.Writer) error) error
	close() error
}

func newSink(format string, w io.Writer, t Text) (sink, error) {
	switch format {
	case CSV:
		bw := bufio.NewWriterSize(w, 64<<10)
		return &csvSink{bw: bw, cw: csv.NewWriter(bw)}, nil
	case XLSX:
		return newXLSXSink(w, t)
	case ZIP:
		return newZIPSink(w), nil
	}
	return nil, fmt.Errorf("%w (got %q)", ErrFormat, format)
}

// exact is a figure written with every digit (strconv's shortest
// round-trip form), so an exported cell equals the JSON API's number.
type exact float64

// excelDigits rounds a figure to the 15 significant digits Excel keeps.
// excelize (v2.11.1 on) cuts a float to 15 digits by truncation, so
// 89.06432550650527 would become 89.0643255065052; rounded first it is
// 89.0643255065053, the number Excel itself stores when the API's figure is
// typed in. The CSV in the ZIP keeps every digit.
func excelDigits(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// csvSink writes RFC 4180 CSV; numbers with 4 decimals like `integritas results`.
type csvSink struct {
	bw     *bufio.Writer
	cw     *csv.Writer
	buf    []string
	tables int
	skip   bool
}

func (s *csvSink) table(t table) error {
	s.tables++
	if s.skip = s.tables > 1; s.skip {
		return nil
	}
	return s.cw.Write(t.cols)
}

func (s *csvSink) wants(string) bool { return s.tables == 0 }

func (s *csvSink) file(string, func(io.Writer) error) error { return nil }

func (s *csvSink) row(cells []any) error {
	if s.skip {
		return nil
	}
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
		return SafeCell(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', 4, 64)
	case exact:
		return strconv.FormatFloat(float64(v), 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return SafeCell(fmt.Sprint(c))
}

// notes are left out of a plain CSV: it holds data only.
func (s *csvSink) notes([]string) error { return nil }

func (s *csvSink) close() error {
	s.cw.Flush()
	if err := s.cw.Error(); err != nil {
		return err
	}
	return s.bw.Flush()
}

// xlsxSink writes a workbook through excelize's StreamWriter, which spills
// rows to a temporary file past 16 MB, so memory stays flat however many
// rows there are. Every table and the notes are sheets of their own.
type xlsxSink struct {
	w      io.Writer
	f      *excelize.File
	t      Text
	sw     *excelize.StreamWriter
	sheets int
	n      int // rows written to the current sheet
	bold   int
	cell   []any
}

func newXLSXSink(w io.Writer, t Text) (*xlsxSink, error) {
	f := excelize.NewFile()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	return &xlsxSink{w: w, f: f, t: t, bold: bold}, nil
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

// sheet ends the current sheet and starts the next: the first one renames
// the workbook's empty Sheet1.
func (s *xlsxSink) sheet(name string) error {
	if s.sw != nil {
		if err := s.sw.Flush(); err != nil {
			return fmt.Errorf("export: xlsx: %w", err)
		}
	}
	s.sheets++
	if s.sheets == 1 {
		if err := s.f.SetSheetName("Sheet1", name); err != nil {
			return fmt.Errorf("export: xlsx: %w", err)
		}
	} else if _, err := s.f.NewSheet(name); err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	sw, err := s.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	s.sw, s.n = sw, 0
	return nil
}

func (s *xlsxSink) next() string {
	s.n++
	cell, _ := excelize.CoordinatesToCellName(1, s.n)
	return cell
}

func (s *xlsxSink) wants(string) bool { return true }

func (s *xlsxSink) table(t table) error {
	if err := s.sheet(sheetName(t.sheet, strings.TrimSuffix(t.file, ".csv"))); err != nil {
		return err
	}
	cells := make([]any, len(t.cols))
	for i, c := range t.cols {
		cells[i] = excelize.Cell{StyleID: s.bold, Value: SafeCell(c)}
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
			c = SafeCell(v)
		case exact:
			c = excelDigits(float64(v))
		case float64:
			c = excelDigits(v)
		case nil, int, bool:
		default:
			c = SafeCell(fmt.Sprint(c))
		}
		s.cell = append(s.cell, c)
	}
	return s.sw.SetRow(s.next(), s.cell)
}

func (s *xlsxSink) notes(lines []string) error {
	if err := s.sheet(sheetName(s.t.NotesSheet, "notes")); err != nil {
		return err
	}
	if err := s.sw.SetColWidth(1, 1, 120); err != nil {
		return err
	}
	for _, l := range lines {
		if err := s.sw.SetRow(s.next(), []any{SafeCell(l)}); err != nil {
			return err
		}
	}
	return nil
}

func (s *xlsxSink) file(string, func(io.Writer) error) error { return nil }

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
	Sheet         string // name of the data sheet, e.g. "Hasil"
	NotesSheet    string // name of the notes sheet, e.g. "Catatan"
	ElementsSheet string // results: the unit × type × element rows, e.g. "Elemen"
	CodebookSheet string // answers: the codebook, e.g. "Buku kode"
}
