package packet

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// TestDeflateStreams: the report PDF has every stream compressed, a
// cross-reference table that points at each object, streams that inflate
// to their declared lengths, and poppler reads it without a complaint.
func TestDeflateStreams(t *testing.T) {
	st := demoStore(t)
	src := demoSource(t, st)
	var buf bytes.Buffer
	if err := src.PDF(&buf, "DINSOS", "id"); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	if m := regexp.MustCompile(`obj\n<</Length \d+>>\nstream`).FindAll(pdf, -1); len(m) > 0 {
		t.Errorf("%d streams left uncompressed", len(m))
	}
	objs, _, err := pdfObjects(pdf)
	if err != nil {
		t.Fatal(err)
	}
	flate := regexp.MustCompile(`(?s)^(\d+) 0 obj\n<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)
	inflated := 0
	for _, o := range objs {
		m := flate.FindSubmatch(pdf[o.at:])
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(string(m[2]))
		data := pdf[o.at+len(m[0]):][:n]
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("object %s: %v", m[1], err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			t.Errorf("object %s does not inflate: %v", m[1], err)
		}
		if !bytes.HasPrefix(pdf[o.at+len(m[0])+n:], []byte("\nendstream")) {
			t.Errorf("object %s: its length is not its stream's", m[1])
		}
		inflated++
	}
	if inflated < 10 {
		t.Errorf("%d streams deflated here, want every page's", inflated)
	}
	text := pdfText(t, pdf) // skips without poppler
	if !bytes.Contains([]byte(text), []byte("DINSOS")) {
		t.Error("the text is not readable")
	}
	in := filepath.Join(t.TempDir(), "r.pdf")
	os.WriteFile(in, pdf, 0o600)
	if out, err := exec.Command("pdfinfo", in).CombinedOutput(); err != nil || bytes.Contains(out, []byte("Error")) {
		t.Errorf("pdfinfo: %v\n%s", err, out)
	}
}

// TestDeflateStreamsRefuses: input that is not fpdf's plain output is an
// error, never a PDF with a broken table.
func TestDeflateStreamsRefuses(t *testing.T) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(false)
	p.AddPage()
	var plain bytes.Buffer
	if err := p.Output(&plain); err != nil {
		t.Fatal(err)
	}
	good := plain.Bytes()
	cases := map[string][]byte{
		"empty":        nil,
		"no xref":      bytes.ReplaceAll(good, []byte("startxref"), []byte("startxrof")),
		"moved object": bytes.Replace(good, []byte("3 0 obj"), []byte("3 0 obk"), 1),
		"truncated":    good[:len(good)/2],
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			if err := deflateStreams(io.Discard, in); err == nil {
				t.Error("no error")
			}
		})
	}
	if err := deflateStreams(io.Discard, good); err != nil {
		t.Errorf("plain fpdf output: %v", err)
	}
}
