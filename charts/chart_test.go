package charts

import (
	"bytes"
	"fmt"
	"image/png"
	"strings"
	"sync"
	"testing"

	"integritas/analysis"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		f    Format
		got  string
		want string
	}{
		{idFormat, idFormat.score(74.2149), "74,21"},
		{idFormat, idFormat.score(74.215), "74,22"},
		{Format{}, Format{}.score(74.2149), "74.21"},
		{idFormat, idFormat.fixed(-0.001, 2), "0,00"},
		{idFormat, idFormat.count(1234567), "1.234.567"},
		{idFormat, idFormat.count(999), "999"},
		{Format{Group: ','}, Format{Group: ','}.count(22470), "22,470"},
		{Format{}, Format{}.count(22470), "22470"},
		{idFormat, idFormat.tick(72.5, 2.5), "72,5"},
		{idFormat, idFormat.tick(80, 10), "80"},
		{idFormat, idFormat.percent(0.4349), "43%"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestLayout(t *testing.T) {
	res := handResults()
	for _, tc := range []struct {
		name   string
		layout Layout
		w, h   int // pixels; 0 h: only the width is fixed
	}{
		{"default width at 96 dpi", Layout{}, 960, 0},
		{"fixed size", Layout{Width: 600, Height: 450}, 800, 600},
		{"print resolution", Layout{Width: 360, Height: 288, DPI: 300}, 1500, 1200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := rankingOptions()
			opt.Layout = tc.layout
			ch, err := Ranking(res, opt)
			if err != nil {
				t.Fatal(err)
			}
			img, _ := render(t, ch)
			if b := img.Bounds(); b.Dx() != tc.w || tc.h != 0 && b.Dy() != tc.h {
				t.Errorf("png %v, want %d×%d", b.Size(), tc.w, tc.h)
			}
		})
	}
}

func TestRankingGrowsWithUnits(t *testing.T) {
	res := synthResults(t, 300, 6)
	ch, err := Ranking(res, rankingOptions())
	if err != nil {
		t.Fatal(err)
	}
	_, h := ch.Size()
	if h < 300*12 {
		t.Fatalf("300 units in %v pt: rows would be under 12 pt", h)
	}
	var buf bytes.Buffer
	if err := ch.PNG(&buf); err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if w, hp := ch.Pixels(); cfg.Width != w || cfg.Height != hp {
		t.Errorf("png %d×%d, want %d×%d", cfg.Width, cfg.Height, w, hp)
	}
}

func TestSVGFonts(t *testing.T) {
	for _, embed := range []bool{false, true} {
		opt := rankingOptions()
		opt.Layout.EmbedFonts = embed
		ch, err := Ranking(handResults(), opt)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := ch.SVG(&buf); err != nil {
			t.Fatal(err)
		}
		doc := parseSVG(t, buf.Bytes())
		if !doc.has(nameLong) {
			t.Errorf("embed %v: text lost", embed)
		}
		s := buf.String()
		if got := strings.Contains(s, "@font-face"); got != embed {
			t.Errorf("embed %v: @font-face present %v", embed, got)
		}
		if got := strings.Contains(s, "'Liberation Sans',Arial"); got == embed {
			t.Errorf("embed %v: metric fallback present %v", embed, got)
		}
		// Every text carries its laid-out width, so a substitute font fits.
		if n, m := strings.Count(s, "<text "), strings.Count(s, `lengthAdjust="spacingAndGlyphs"`); n == 0 || n != m {
			t.Errorf("%d of %d texts carry a textLength", m, n)
		}
		st, err := newStyles()
		if err != nil {
			t.Fatal(err)
		}
		title := strings.ReplaceAll(opt.Text.Title, "&", "&amp;")
		want := fmt.Sprintf(`textLength="%.2f" lengthAdjust="spacingAndGlyphs">%s</text>`, st.style(sizeTitle, true, colInk()).Width(opt.Text.Title).Points(), title)
		if !strings.Contains(s, want) {
			t.Errorf("title lacks its width: want %s", want)
		}
	}
}

// TestConcurrentRender renders one chart from several goroutines: a Chart
// is immutable, which -race checks.
func TestConcurrentRender(t *testing.T) {
	ch, err := Heatmap(handResults(), heatmapOptions(analysis.Internal))
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := ch.SVG(&want); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			var buf bytes.Buffer
			if i%2 == 0 {
				if err := ch.PNG(&buf); err != nil {
					t.Error(err)
				}
				return
			}
			if err := ch.SVG(&buf); err != nil {
				t.Error(err)
			}
			if !bytes.Equal(buf.Bytes(), want.Bytes()) {
				t.Error("svg differs between renders")
			}
		})
	}
	wg.Wait()
}

func TestLayoutErrors(t *testing.T) {
	res := synthResults(t, 60, 6)
	for _, tc := range []struct {
		name   string
		layout Layout
		want   string
	}{
		{"rows would overlap", Layout{Height: 200}, "leaves"},
		{"too narrow", Layout{Width: 120}, "width"},
		{"raster too large", Layout{Width: 20000, Height: 20000, DPI: 300}, "pixel limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := rankingOptions()
			opt.Layout = tc.layout
			if _, err := Ranking(res, opt); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one about %q", err, tc.want)
			}
		})
	}
}

// TestAllSuppressed draws a period where no unit has a published index:
// rows, dashes and the note, no markers.
func TestAllSuppressed(t *testing.T) {
	res := handResults()
	for i := range res.Units {
		res.Units[i].IndexFigure = analysis.IndexFigure{Suppressed: true}
	}
	ch, err := Ranking(res, rankingOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ch.Marks() {
		if m.Value != nil || m.Label != "—" {
			t.Errorf("%s drawn as %q", m.Row, m.Label)
		}
	}
	_, doc := render(t, ch)
	if got := doc.count("—"); got != len(res.Units) {
		t.Errorf("%d dashes for %d hidden units", got, len(res.Units))
	}
	if len(ch.Notes()) != 1 || !doc.has(ch.Notes()[0]) {
		t.Errorf("note %v not printed", ch.Notes())
	}
	if doc.has("n = 0") {
		t.Error("hidden units print an n")
	}
}
