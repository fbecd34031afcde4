package packet

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font/sfnt"

	"integritas/internal/demo"
)

// oddName is a unit name in Indonesian with characters beyond ASCII:
// typographic quotes and dashes, accents, signs and a letter from outside
// Latin-1, as an admin might paste them.
const oddName = "Dinas Pekerjaan Umum & Penataan Ruang — “Bina Marga” ½ ≥ 3 · Café Łódź Ωmega"

// cyrillicName has a letter Liberation Sans has but the cut fonts lack
// (cutRanges): its document is drawn from the full fonts.
const cyrillicName = "Dinas Kebudayaan — Жуковский"

// TestPDFGlyphs: fonts are subset per document, so every character of the
// report must have its glyph in the fonts the PDF embeds; pdftotext reads
// the name back, and each embedded font program maps every character of
// the name that Liberation Sans has to a glyph. The second name leaves
// the cut fonts for the full ones.
func TestPDFGlyphs(t *testing.T) {
	for _, name := range []string{oddName, cyrillicName} {
		t.Run(name, func(t *testing.T) { testPDFGlyphs(t, name) })
	}
}

func testPDFGlyphs(t *testing.T, oddName string) {
	st := demoStore(t)
	ctx := context.Background()
	cur, _ := st.Period(ctx, demo.Current)
	u, err := st.Unit(ctx, cur.ID, "DPUPR")
	if err != nil {
		t.Fatal(err)
	}
	u.Name = oddName
	if err := st.UpdateUnit(ctx, cur.ID, u); err != nil {
		t.Fatal(err)
	}
	src := demoSource(t, st)
	var buf bytes.Buffer
	if err := src.PDF(&buf, "DPUPR", "id"); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	if text := pdfText(t, pdf); !strings.Contains(flatten(text), oddName) {
		t.Errorf("pdftotext does not read %q back", oddName)
	}
	full, err := sfnt.Parse(liberationsansregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	var sb sfnt.Buffer
	fonts := regexp.MustCompile(`/Filter /FlateDecode\n/Length1 \d+\n>>\nstream\n`).FindAllIndex(pdf, -1)
	if len(fonts) != 2 {
		t.Fatalf("%d embedded font programs, want regular and bold", len(fonts))
	}
	for i, at := range fonts {
		zr, err := zlib.NewReader(bytes.NewReader(pdf[at[1]:]))
		if err != nil {
			t.Fatal(err)
		}
		ttf, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		sub, err := sfnt.Parse(ttf)
		if err != nil {
			t.Fatalf("font %d: %v", i, err)
		}
		for _, r := range oddName {
			if g, _ := full.GlyphIndex(&sb, r); g == 0 {
				continue // Liberation Sans lacks it: nothing to embed
			}
			if g, err := sub.GlyphIndex(&sb, r); err != nil || g == 0 {
				t.Errorf("font %d: no glyph for %q", i, r)
			}
		}
	}
}

// TestCutFontsDrawAlike draws a report in the cut fonts and in the full
// ones: every page's content is the same but for the fonts' resource
// names, which fpdf derives from their metrics.
func TestCutFontsDrawAlike(t *testing.T) {
	st := demoStore(t)
	src := demoSource(t, st)
	r, err := src.build("DPUPR", src.Bundle.For("id"))
	if err != nil {
		t.Fatal(err)
	}
	if r.charts, err = src.charts(r); err != nil {
		t.Fatal(err)
	}
	cut, err := cutFonts()
	if err != nil {
		t.Fatal(err)
	}
	var cutPDF, fullPDF bytes.Buffer
	if d, err := r.renderPDF(&cutPDF, cut); err != nil || d.outside {
		t.Fatalf("cut fonts: %v, outside them: %v", err, d != nil && d.outside)
	}
	if _, err := r.renderPDF(&fullPDF, fullFonts); err != nil {
		t.Fatal(err)
	}
	a, b := pageContents(t, cutPDF.Bytes()), pageContents(t, fullPDF.Bytes())
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d pages in the cut fonts, %d in the full ones", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("page %d is drawn otherwise in the cut fonts", i+1)
		}
	}
}

// pageContents returns the text-drawing streams of fpdf's plain output in
// the order of the file, each font's resource name replaced by "/F".
func pageContents(t *testing.T, pdf []byte) []string {
	t.Helper()
	objs, xref, err := pdfObjects(pdf)
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`/F[0-9a-f]{40}`)
	var out []string
	for i, o := range objs {
		end := xref
		if i+1 < len(objs) {
			end = objs[i+1].at
		}
		data, ok := plainStream(pdf[o.at:end], []byte(strconv.Itoa(o.n)+" 0 obj\n<</Length "))
		if ok && bytes.Contains(data, []byte(" Tf")) {
			out = append(out, string(name.ReplaceAll(data, []byte("/F"))))
		}
	}
	return out
}
