package packet

import (
	"archive/zip"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"integritas/export"
	"integritas/internal/fastflate"
)

// Workbook layout: every sheet has its title in row 1, the intro in row 2,
// the header in row HeaderRow and data below it.
const (
	HeaderRow = 4
	firstData = HeaderRow + 1
)

// writeXLSX renders the report's tables, and the rencana aksi sheet to
// return, as a workbook. Every text cell is neutralised against formulas.
func (r *report) writeXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(newXLSXZip)
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("packet: xlsx style: %w", err)
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E1E6EE"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("packet: xlsx style: %w", err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("packet: xlsx style: %w", err)
	}
	st := xlsxStyles{bold: bold, head: head, wrap: wrap}
	sheets := append(append([]table{}, r.tables...), r.planXLSX)
	heading := r.unit.Name
	if r.provisional != "" { // every sheet's title says so, as every PDF page does
		heading += " — " + r.provisional
	}
	for i, tb := range sheets {
		name := tb.sheet
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return fmt.Errorf("packet: xlsx sheet %q: %w", name, err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("packet: xlsx sheet %q: %w", name, err)
		}
		if err := writeSheet(f, name, tb, st, heading); err != nil {
			return fmt.Errorf("packet: xlsx sheet %q: %w", name, err)
		}
	}
	f.SetDocProps(&excelize.DocProperties{Title: export.SafeCell(r.title), Creator: "Integritas", Language: r.lang})
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("packet: xlsx of %s: %w", r.unit.Code, err)
	}
	return nil
}

type xlsxStyles struct{ bold, head, wrap int }

// writeSheet streams the sheet's rows (excelize's StreamWriter). Set cell
// by cell, the sheets were kept as XML trees and marshalled by reflection:
// streamed, a packet's workbook takes 3.7–4.6 ms instead of 6.4–7.3 (it
// was 1.4 CPU-s of BenchmarkPackets300). Values, styles and widths read
// back the same; strings are stored inline rather than shared, and a
// figure rounded to its digits in its shortest form ("3.5", not "3.50").
func writeSheet(f *excelize.File, sheet string, tb table, st xlsxStyles, unit string) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, w := range tb.widths {
		if err := sw.SetColWidth(i+1, i+1, 4+12*w); err != nil {
			return err
		}
	}
	value := func(v cell) any {
		if v.num != nil {
			x, _ := strconv.ParseFloat(strconv.FormatFloat(*v.num, 'f', v.digits, 64), 64)
			return x
		}
		return export.SafeCell(v.text)
	}
	row := 1
	put := func(cells ...any) error {
		err := sw.SetRow("A"+strconv.Itoa(row), cells)
		row++
		return err
	}
	if err := put(excelize.Cell{StyleID: st.bold, Value: value(txt(tb.title + " — " + unit))}); err != nil {
		return err
	}
	if tb.intro != "" {
		if err := put(value(txt(tb.intro))); err != nil {
			return err
		}
	}
	row = HeaderRow
	head := make([]any, max(1, len(tb.head)))
	for i := range head {
		c := excelize.Cell{StyleID: st.head}
		if i < len(tb.head) {
			c.Value = value(txt(tb.head[i]))
		}
		head[i] = c
	}
	if err := put(head...); err != nil {
		return err
	}
	if len(tb.rows) == 0 && tb.empty != "" && tb.sheet != "" {
		if err := put(value(txt(tb.empty))); err != nil {
			return err
		}
	}
	for _, r := range tb.rows {
		cells := make([]any, max(len(r), len(tb.head)))
		for i := range cells {
			var c excelize.Cell
			if i < len(tb.head) {
				c.StyleID = st.wrap
			}
			if i < len(r) {
				c.Value = value(r[i])
			}
			cells[i] = c
		}
		if err := put(cells...); err != nil {
			return err
		}
	}
	row++
	for _, n := range tb.notes {
		if err := put(value(txt(n))); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// newXLSXZip is the workbook's ZIP writer: archive/zip's own, deflating
// through pooled BestSpeed compressors instead of its default level. The
// workbook's parts are a few kB of XML each: compressed harder, a workbook
// is 19 kB instead of 21 kB, and deflating took a third of its writing's
// CPU (BenchmarkPackets300's profile).
func newXLSXZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return fastflate.WriteCloser(w), nil })
	return zw
}
