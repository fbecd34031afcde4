package export

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// zipSink writes each table as a CSV file of a ZIP archive, the notes as
// README.txt and any further file (codebook, syntax) beside them. Entries
// are streamed one after another, so the answers of a large period never sit
// in memory; a CSV file holds data only, without comment lines.
type zipSink struct {
	zw  *zip.Writer
	bw  *bufio.Writer
	cw  *csv.Writer
	buf []string
	// width is the longest cell (in bytes) per column of the current table,
	// for the SPSS syntax's string widths.
	width []int
}

// zipTime stamps every entry, so an export's bytes depend on its data only.
var zipTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newZIPSink(w io.Writer) *zipSink { return &zipSink{zw: zip.NewWriter(w)} }

// entry ends the current entry and opens the next.
func (s *zipSink) entry(name string) (io.Writer, error) {
	if err := s.end(); err != nil {
		return nil, err
	}
	w, err := s.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		return nil, fmt.Errorf("export: zip %s: %w", name, err)
	}
	return w, nil
}

// end flushes the CSV file being written, if any.
func (s *zipSink) end() error {
	if s.cw == nil {
		return nil
	}
	s.cw.Flush()
	if err := s.cw.Error(); err != nil {
		return fmt.Errorf("export: zip: %w", err)
	}
	err := s.bw.Flush()
	s.cw, s.bw = nil, nil
	return err
}

func (s *zipSink) wants(string) bool { return true }

func (s *zipSink) table(t table) error {
	w, err := s.entry(t.file)
	if err != nil {
		return err
	}
	s.bw = bufio.NewWriterSize(w, 64<<10)
	s.cw = csv.NewWriter(s.bw)
	s.width = make([]int, len(t.cols))
	return s.cw.Write(t.cols)
}

func (s *zipSink) row(cells []any) error {
	s.buf = s.buf[:0]
	for i, c := range cells {
		v := csvCell(c)
		if i < len(s.width) && len(v) > s.width[i] {
			s.width[i] = len(v)
		}
		s.buf = append(s.buf, v)
	}
	return s.cw.Write(s.buf)
}

// notes are README.txt, one paragraph per note, CRLF for Windows' Notepad.
func (s *zipSink) notes(lines []string) error {
	return s.file("README.txt", func(w io.Writer) error {
		for _, l := range lines {
			l = strings.NewReplacer("\r", " ", "\n", " ").Replace(l)
			if _, err := io.WriteString(w, l+"\r\n\r\n"); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *zipSink) file(name string, body func(io.Writer) error) error {
	w, err := s.entry(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if err := body(bw); err != nil {
		return fmt.Errorf("export: zip %s: %w", name, err)
	}
	return bw.Flush()
}

func (s *zipSink) close() error {
	if err := s.end(); err != nil {
		return err
	}
	return s.zw.Close()
}
