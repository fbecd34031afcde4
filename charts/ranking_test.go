package charts

import (
	"strings"
	"testing"

	"integritas/analysis"
)

// rowMarkers returns the centres of the last n small filled polygons in ink
// or white: the ranking's markers, drawn after the legend's, in row order.
func rowMarkers(t *testing.T, doc svgDoc, n int) (xs, ys []float64, hollow int) {
	t.Helper()
	var found []svgPath
	for _, p := range doc.paths {
		x0, y0, x1, y1 := p.bbox()
		if (p.fill == hex(colInk()) || p.fill == "#FFFFFF") && x1-x0 < 9 && y1-y0 < 9 && len(p.pts) >= 3 {
			found = append(found, p)
		}
	}
	if len(found) < n {
		t.Fatalf("found %d markers, want at least %d", len(found), n)
	}
	for _, p := range found[len(found)-n:] {
		x0, y0, x1, y1 := p.bbox()
		xs, ys = append(xs, (x0+x1)/2), append(ys, (y0+y1)/2)
		if p.fill == "#FFFFFF" {
			hollow++
		}
	}
	return xs, ys, hollow
}

func TestRankingHand(t *testing.T) {
	res := handResults()
	for _, tc := range []struct {
		name   string
		format Format
		units  []string
		order  []string
		labels []string
		texts  []string
	}{
		{"indonesian", idFormat, nil, []string{"A", "B", "C", "D"}, []string{"80,50", "75,25", "60,00", "—"},
			[]string{nameLong, nameKec, nameSmall, "80,50", "75,25 †", "60,00", "—", "Terjaga ≥78,0", "Indeks (0–100)", "n = 40"}},
		{"english subset", Format{}, []string{"C", "A"}, []string{"A", "C"}, []string{"80.50", "60.00"},
			[]string{nameLong, nameKec, "80.50", "60.00", "Waspada 73.0–<78.0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := rankingOptions()
			opt.Format, opt.Units = tc.format, tc.units
			ch, err := Ranking(res, opt)
			if err != nil {
				t.Fatal(err)
			}
			marks := ch.Marks()
			if len(marks) != len(tc.order) {
				t.Fatalf("%d marks, want %d", len(marks), len(tc.order))
			}
			var values, lows, highs []float64
			for i, m := range marks {
				u, _ := findUnit(res, m.Row)
				if m.Row != tc.order[i] || m.Label != tc.labels[i] {
					t.Errorf("row %d: %s %q, want %s %q", i, m.Row, m.Label, tc.order[i], tc.labels[i])
				}
				if u.Suppressed {
					if m.Value != nil || m.Low != nil {
						t.Errorf("suppressed %s drawn with a value", m.Row)
					}
					continue
				}
				if m.Value == nil || *m.Value != *u.Index || *m.Low != u.CI[0] || *m.High != u.CI[1] {
					t.Errorf("%s: mark %+v, want index %v CI %v", m.Row, m, *u.Index, *u.CI)
				}
				values, lows, highs = append(values, *m.Value), append(lows, *m.Low), append(highs, *m.High)
			}
			_, doc := render(t, ch)
			for _, s := range append(tc.texts, opt.Text.Title, "Periode: SPI 2026 · n = "+strings.TrimSpace(itoa(len(values)))) {
				if !doc.has(s) {
					t.Errorf("svg lacks text %q", s)
				}
			}
			hasNote := doc.has("— " + strings.ReplaceAll(opt.Text.Suppressed, "{k}", "5"))
			if wantNote := len(values) < len(marks); hasNote != wantNote {
				t.Errorf("suppression note present %v, want %v", hasNote, wantNote)
			}
			xs, ys, hollow := rowMarkers(t, doc, len(values))
			ax := readAxis(t, doc, tc.format, false)
			ax.check(t, "marker", values, xs)
			wlo, whi := whiskers(t, doc, len(values), false)
			ax.check(t, "CI low", lows, wlo)
			ax.check(t, "CI high", highs, whi)
			for i := 1; i < len(ys); i++ {
				if ys[i] >= ys[i-1] {
					t.Errorf("row %d drawn above row %d", i, i-1)
				}
			}
			partial := 0
			for _, m := range marks {
				if u, _ := findUnit(res, m.Row); !u.Suppressed && u.Partial {
					partial++
				}
			}
			if hollow != partial {
				t.Errorf("%d hollow markers, want %d partial indices", hollow, partial)
			}
		})
	}
}

func TestRankingSynthetic(t *testing.T) {
	res := synthResults(t, 35, 12)
	ch, err := Ranking(res, rankingOptions())
	if err != nil {
		t.Fatal(err)
	}
	marks := ch.Marks()
	if len(marks) != len(res.Units) {
		t.Fatalf("%d marks for %d units", len(marks), len(res.Units))
	}
	var values []float64
	seenHidden := false
	for i, m := range marks {
		u, _ := findUnit(res, m.Row)
		switch {
		case u.Index == nil:
			seenHidden = true
			if m.Value != nil || m.Label != "—" {
				t.Errorf("%s: suppressed index drawn as %q", m.Row, m.Label)
			}
		case seenHidden:
			t.Errorf("%s: ranked after a suppressed unit", m.Row)
		default:
			if *m.Value != *u.Index || m.Label != idFormat.score(*u.Index) {
				t.Errorf("%s: drawn %q, index %v", m.Row, m.Label, *u.Index)
			}
			if i > 0 && marks[i-1].Value != nil && *marks[i-1].Value < *m.Value {
				t.Errorf("row %d (%v) ranks above a higher index (%v)", i-1, *marks[i-1].Value, *m.Value)
			}
			values = append(values, *m.Value)
		}
	}
	if !seenHidden {
		t.Fatal("fixture should hold a suppressed unit")
	}
	_, doc := render(t, ch)
	for _, s := range []string{nameLong, nameKec, nameSmall, "Rentan <73,0"} {
		if !doc.has(s) {
			t.Errorf("svg lacks %q", s)
		}
	}
	xs, _, _ := rowMarkers(t, doc, len(values))
	readAxis(t, doc, idFormat, false).check(t, "marker", values, xs)
}

func TestRankingPreset2022(t *testing.T) {
	res := handResults()
	cats, err := analysis.PresetCategories("kpk2022")
	if err != nil {
		t.Fatal(err)
	}
	res.Settings.Categories = cats
	ch, err := Ranking(res, rankingOptions())
	if err != nil {
		t.Fatal(err)
	}
	_, doc := render(t, ch)
	for _, s := range []string{"Sangat Rentan <68,0", "Rentan 68,0–<73,7", "Waspada 73,7–<77,5", "Terjaga ≥77,5"} {
		if !doc.has(s) {
			t.Errorf("legend lacks %q", s)
		}
	}
	shapes := map[int]bool{}
	for i := range 4 {
		shapes[int(bandShape(i, 4))] = true
	}
	if len(shapes) != 4 {
		t.Errorf("four bands share marker shapes: %v", shapes)
	}
}

func TestRankingErrors(t *testing.T) {
	res := handResults()
	for _, tc := range []struct {
		name string
		edit func(*RankingOptions)
		want string
	}{
		{"no title", func(o *RankingOptions) { o.Text.Title = "" }, "Title"},
		{"no axis", func(o *RankingOptions) { o.Text.Axis = " " }, "Axis"},
		{"no note", func(o *RankingOptions) { o.Text.Suppressed = "" }, "Suppressed"},
		{"unknown unit", func(o *RankingOptions) { o.Units = []string{"nope"} }, `"nope"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := rankingOptions()
			tc.edit(&opt)
			_, err := Ranking(res, opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "charts: ") {
				t.Fatalf("error %v, want one naming %s", err, tc.want)
			}
		})
	}
}

func itoa(n int) string { return idFormat.count(n) }
