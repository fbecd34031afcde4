package packet

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"regexp"
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

// TestPDFGlyphs: fonts are subset per document, so every character of the
// report must have its glyph in the fonts the PDF embeds; pdftotext reads
// the name back, and each embedded font program maps every character of
// the name that Liberation Sans has to a glyph.
func TestPDFGlyphs(t *testing.T) {
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
