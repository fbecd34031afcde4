package charts

import (
	"image/color"
	"slices"
	"strings"
	"testing"

	"integritas/analysis"
)

// bars returns the bottom and top of the filled rectangles of colour c,
// skipping the first (the legend swatch).
func bars(doc svgDoc, c color.RGBA, vertical bool) (lo, hi []float64) {
	return barsAfter(doc, c, vertical, 1)
}

// barsAfter is bars skipping the first skip rectangles.
func barsAfter(doc svgDoc, c color.RGBA, vertical bool, skip int) (lo, hi []float64) {
	var found []svgPath
	for _, p := range doc.filled(c) {
		if len(p.pts) == 4 {
			found = append(found, p)
		}
	}
	for _, p := range found[min(skip, len(found)):] {
		x0, y0, x1, y1 := p.bbox()
		if vertical {
			lo, hi = append(lo, y0), append(hi, y1)
		} else {
			lo, hi = append(lo, x0), append(hi, x1)
		}
	}
	return lo, hi
}

func TestProfile(t *testing.T) {
	res := handResults()
	for _, tc := range []struct {
		name, unit string
		texts      []string
		hidden     int
	}{
		{"all shown", "A", []string{nameLong + " (n = 40)", "82,75", "78,00", "76,00", "71,25"}, 0},
		{"one hidden", "C", []string{nameKec + " (n = 30)", "62,50", "—"}, 1},
		{"all hidden", "D", []string{nameSmall, "—"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := profileOptions(tc.unit, analysis.Internal)
			ch, err := Profile(res, opt)
			if err != nil {
				t.Fatal(err)
			}
			u, _ := findUnit(res, tc.unit)
			city := res.City.Pooled.Components[analysis.Internal]
			var unitVals, cityVals, lows, highs []float64
			hidden := 0
			marks := ch.Marks()
			if len(marks) != 4 {
				t.Fatalf("%d marks, want 2 elements × unit, city", len(marks))
			}
			for i, m := range marks {
				elem := []string{"transparansi", "pbj"}[i/2]
				src := u.Components[analysis.Internal].Elements[elem]
				if m.Series == SeriesCity {
					src = city.Elements[elem]
				}
				if m.Row != elem || m.Series != []string{SeriesUnit, SeriesCity}[i%2] {
					t.Fatalf("mark %d is %s/%s", i, m.Row, m.Series)
				}
				if src.Suppressed {
					hidden++
					if m.Value != nil || m.Label != "—" {
						t.Errorf("%s/%s: suppressed figure drawn as %q", m.Row, m.Series, m.Label)
					}
					continue
				}
				if *m.Value != *src.Score || *m.Low != src.CI[0] || *m.High != src.CI[1] {
					t.Errorf("%s/%s: %v [%v, %v], want %v %v", m.Row, m.Series, *m.Value, *m.Low, *m.High, *src.Score, *src.CI)
				}
				if m.Series == SeriesUnit {
					unitVals = append(unitVals, *m.Value)
				} else {
					cityVals = append(cityVals, *m.Value)
				}
				lows, highs = append(lows, *m.Low), append(highs, *m.High)
			}
			if hidden != tc.hidden {
				t.Fatalf("%d hidden bars, want %d", hidden, tc.hidden)
			}
			_, doc := render(t, ch)
			for _, s := range append(tc.texts, opt.Text.Title, "Kota (semua unit) (n = 1.234)", "Transparansi", "Skor (0–100)", "Periode: SPI 2026 · Responden internal (ASN)") {
				if !doc.has(s) {
					t.Errorf("svg lacks %q", s)
				}
			}
			if note := strings.Contains(doc.joined(), "kurang dari 5 responden"); note != (hidden > 0) {
				t.Errorf("note shown %v with %d hidden bars", note, hidden)
			}
			ax := readAxis(t, doc, idFormat, true)
			ub0, ub1 := bars(doc, colUnit(), true)
			cb0, cb1 := bars(doc, tint(colCity(), 0.55), true)
			ax.check(t, "unit bar top", unitVals, ub1)
			ax.check(t, "city bar top", cityVals, cb1)
			// The axis is fitted to the data: it starts at its lowest tick,
			// above 0, below every bar and whisker, and the bars rise from it.
			base := slices.Min(ax.values)
			if base <= 0 || base > slices.Min(lows) || slices.Max(ax.values) < slices.Max(highs) {
				t.Errorf("axis %v–%v for CIs %v–%v", base, slices.Max(ax.values), slices.Min(lows), slices.Max(highs))
			}
			fill := func(n int) []float64 { return slices.Repeat([]float64{base}, n) }
			ax.check(t, "unit bar base", fill(len(unitVals)), ub0)
			ax.check(t, "city bar base", fill(len(cityVals)), cb0)
			wlo, whi := whiskers(t, doc, len(lows), true)
			ax.check(t, "CI low", lows, wlo)
			ax.check(t, "CI high", highs, whi)
		})
	}
}

func TestProfileErrors(t *testing.T) {
	res := handResults()
	for _, tc := range []struct {
		name string
		edit func(*ProfileOptions)
		want string
	}{
		{"unknown unit", func(o *ProfileOptions) { o.Unit = "Z" }, `"Z"`},
		{"bad type", func(o *ProfileOptions) { o.Type = "all" }, `"all"`},
		{"no scores of type", func(o *ProfileOptions) { o.Type = analysis.Expert }, "no element scores"},
		{"no CI text", func(o *ProfileOptions) { o.Text.CI = "" }, "CI"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := profileOptions("A", analysis.Internal)
			tc.edit(&opt)
			if _, err := Profile(res, opt); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one about %s", err, tc.want)
			}
		})
	}
}
