package charts

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"integritas/analysis"
)

// TestCrossRefChart: per year the lived line carries the lowest published
// figure and the MCP line the paper score; a year whose lived figures are
// all under k is drawn absent ("—"), never as a number.
func TestCrossRefChart(t *testing.T) {
	hist := []analysis.AreaYear{
		{Year: 2024, MCP: ptr(82.0)},
		{Year: 2025, MCP: ptr(88.0), Lived: ptr(71.25), Element: "pbj", Type: analysis.Internal},
		{Year: 2026, MCP: ptr(93.0), Lived: ptr(64.5), Element: "pbj", Type: analysis.Internal},
	}
	opt := trendOptions()
	ch, err := CrossRef(hist, CrossRefOptions{Common: opt.Common, Text: opt.Text, Lived: "SPI terendah", Settings: opt.Settings})
	if err != nil {
		t.Fatal(err)
	}
	m := ch.Marks()
	if len(m) != 6 {
		t.Fatalf("%d marks", len(m))
	}
	if m[0].Row != "2024" || m[0].Value != nil || m[0].Label != "—" || *m[1].Value != 82 {
		t.Errorf("2024 (no lived figure): %+v %+v", m[0], m[1])
	}
	if *m[4].Value != 64.5 || *m[5].Value != 93 {
		t.Errorf("2026: %+v %+v", m[4], m[5])
	}
	var svg, pngBuf bytes.Buffer
	if err := ch.SVG(&svg); err != nil {
		t.Fatal(err)
	}
	if err := ch.PNG(&pngBuf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svg.String(), "SPI terendah") {
		t.Error("SVG lacks the lived legend")
	}
	if img, err := png.Decode(&pngBuf); err != nil || img.Bounds().Dx() < 400 {
		t.Errorf("PNG: %v", err)
	}
	if _, err := CrossRef(nil, CrossRefOptions{Text: opt.Text}); err == nil {
		t.Error("a chart without years was drawn")
	}
}
