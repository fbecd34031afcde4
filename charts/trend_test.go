package charts

import (
	"image/color"
	"strings"
	"testing"

	"integritas/analysis"
)

// smallShapes returns the centres of small filled polygons of the given
// colours, skipping the first skip (legend swatches).
func smallShapes(t *testing.T, doc svgDoc, skip int, cols ...color.RGBA) (xs, ys []float64) {
	t.Helper()
	want := map[string]bool{}
	for _, c := range cols {
		want[hex(c)] = true
	}
	var found []svgPath
	for _, p := range doc.paths {
		x0, y0, x1, y1 := p.bbox()
		if want[p.fill] && len(p.pts) >= 3 && x1-x0 < 10 && y1-y0 < 10 {
			found = append(found, p)
		}
	}
	if len(found) < skip {
		t.Fatalf("found %d shapes, want more than %d", len(found), skip)
	}
	for _, p := range found[skip:] {
		x0, y0, x1, y1 := p.bbox()
		xs, ys = append(xs, (x0+x1)/2), append(ys, (y0+y1)/2)
	}
	return xs, ys
}

func TestTrend(t *testing.T) {
	points := trendPoints()
	opt := trendOptions()
	ch, err := Trend(points, opt)
	if err != nil {
		t.Fatal(err)
	}
	marks := ch.Marks()
	if len(marks) != 2*len(points) {
		t.Fatalf("%d marks for %d periods", len(marks), len(points))
	}
	var unitVals, cityVals, lows, highs []float64
	for i, p := range points {
		u, c := marks[2*i], marks[2*i+1]
		if u.Row != p.Period || u.Series != SeriesUnit || c.Series != SeriesCity {
			t.Fatalf("marks %d: %+v %+v", i, u, c)
		}
		if p.Unit.Suppressed {
			if u.Value != nil || u.Label != "—" {
				t.Errorf("%s: suppressed index drawn as %q", p.Period, u.Label)
			}
		} else {
			if *u.Value != *p.Unit.Index || *u.Low != p.Unit.CI[0] || *u.High != p.Unit.CI[1] {
				t.Errorf("%s: %+v", p.Period, u)
			}
			unitVals, lows, highs = append(unitVals, *u.Value), append(lows, *u.Low), append(highs, *u.High)
		}
		if (p.City == nil) != (c.Value == nil) || p.City != nil && *c.Value != *p.City {
			t.Errorf("%s: city %+v", p.Period, c)
		}
		if p.City != nil {
			cityVals = append(cityVals, *p.City)
		}
	}
	_, doc := render(t, ch)
	for _, s := range []string{opt.Text.Title, "Periode: SPI 2023 – SPI 2026", "SPI 2024", "n = 1.234", "70,12", "76,55 †", "79,31", "—",
		nameKec, "Indeks kota (gabungan)", "Indeks (0–100)", "Periode survei", "† indeks parsial", "Terjaga ≥78,0"} {
		if !doc.has(s) {
			t.Errorf("svg lacks %q", s)
		}
	}
	if !strings.Contains(doc.joined(), "kurang dari 5 responden") {
		t.Error("suppression note missing")
	}
	ax := readAxis(t, doc, idFormat, true)
	// Legend: a filled unit square and a hollow one; then 2023, 2025 (hollow), 2026.
	_, uy := smallShapes(t, doc, 2, colUnit(), rgb(0xFF, 0xFF, 0xFF))
	ax.check(t, "unit marker", unitVals, uy)
	_, cy := smallShapes(t, doc, 1, colCity())
	ax.check(t, "city marker", cityVals, cy)
	wlo, whi := whiskers(t, doc, len(lows), true)
	ax.check(t, "CI low", lows, wlo)
	ax.check(t, "CI high", highs, whi)
	// The hidden 2024 breaks the unit's line: only 2025–2026 is joined.
	var lines []svgPath
	for _, p := range doc.paths {
		if p.stroke == hex(colUnit()) && p.width == "1.6" {
			lines = append(lines, p)
		}
	}
	if len(lines) != 2 || len(lines[1].pts) != 2 {
		t.Errorf("unit line segments %v, want the legend's and one from 2025 to 2026", len(lines))
	}
}

func TestTrendErrors(t *testing.T) {
	if _, err := Trend(nil, trendOptions()); err == nil || !strings.Contains(err.Error(), "no periods") {
		t.Errorf("no points: %v", err)
	}
	opt := trendOptions()
	opt.Text.Periods = ""
	if _, err := Trend(trendPoints(), opt); err == nil || !strings.Contains(err.Error(), "Periods") {
		t.Errorf("no x caption: %v", err)
	}
	// Zero settings fall back to the kpk2025 bands, as analysis.Category does.
	opt = trendOptions()
	opt.Settings = analysis.Settings{}
	if _, err := Trend(trendPoints(), opt); err != nil {
		t.Errorf("zero settings: %v", err)
	}
}
