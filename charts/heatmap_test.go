package charts

import (
	"fmt"
	"strings"
	"testing"

	"integritas/analysis"
)

// wantCell is a heatmap cell's figure straight from the results.
func wantCell(res *analysis.Results, row, typ, elem string) *float64 {
	c := res.City.Pooled.Components[typ]
	if row != RowCity {
		u, _ := findUnit(res, row)
		c = u.Components[typ]
	}
	if c == nil || c.Elements[elem] == nil || c.Elements[elem].Suppressed {
		return nil
	}
	return c.Elements[elem].Score
}

func TestHeatmap(t *testing.T) {
	hand, synth := handResults(), synthResults(t, 35, 12)
	for _, tc := range []struct {
		name  string
		res   *analysis.Results
		typ   string
		units []string
		cols  []string // columns expected
		texts []string
	}{
		{"hand internal", hand, analysis.Internal, nil, []string{"transparansi", "pbj"},
			[]string{"82,75", "78,00", "62,50", "Transparansi", "Pengadaan barang/jasa", "Kota (semua unit) (n = 1.234)", nameLong + " (n = 40)", nameSmall}},
		{"synthetic internal", synth, analysis.Internal, nil, elementCodes, []string{nameKec + fmt.Sprintf(" (n = %d)", *synth.Units[1].Components[analysis.Internal].N)}},
		// external respondents are asked four elements: pbj, sdm and anggaran get no column.
		{"synthetic external subset", synth, analysis.External, []string{unitKec, unitLong, unitSmall},
			[]string{"transparansi", "integritas_tugas", "perdagangan_pengaruh", "sosialisasi"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := heatmapOptions(tc.typ)
			opt.Units = tc.units
			ch, err := Heatmap(tc.res, opt)
			if err != nil {
				t.Fatal(err)
			}
			rows := []string{RowCity}
			if tc.units != nil {
				rows = append(rows, tc.units...)
			} else {
				for _, u := range tc.res.Units {
					rows = append(rows, u.Code)
				}
			}
			marks := ch.Marks()
			if len(marks) != len(rows)*len(tc.cols) {
				t.Fatalf("%d cells, want %d rows × %d columns", len(marks), len(rows), len(tc.cols))
			}
			hidden, shown := 0, 0
			for i, m := range marks {
				row, col := rows[i/len(tc.cols)], tc.cols[i%len(tc.cols)]
				want := wantCell(tc.res, row, tc.typ, col)
				if m.Row != row || m.Series != col {
					t.Fatalf("cell %d is %s/%s, want %s/%s", i, m.Row, m.Series, row, col)
				}
				switch {
				case want == nil && (m.Value != nil || m.Label != "—"):
					t.Errorf("%s/%s: suppressed cell drawn as %q", row, col, m.Label)
				case want != nil && (m.Value == nil || *m.Value != *want || m.Label != idFormat.score(*want)):
					t.Errorf("%s/%s: drawn %q, want %v", row, col, m.Label, *want)
				}
				if want == nil {
					hidden++
				} else {
					shown++
				}
			}
			if hidden == 0 {
				t.Fatal("fixture should hold a suppressed cell")
			}
			_, doc := render(t, ch)
			for _, s := range append(tc.texts, opt.Text.Title, opt.Text.Units) {
				if !doc.has(s) {
					t.Errorf("svg lacks %q", s)
				}
			}
			for _, code := range tc.cols {
				if !strings.Contains(doc.joined(), idElements[code]) {
					t.Errorf("column header %q missing", idElements[code])
				}
			}
			for _, u := range tc.units {
				if r, _ := findUnit(tc.res, u); !doc.hasPrefix(r.Name) {
					t.Errorf("row label %q missing", r.Name)
				}
			}
			// Every shown cell prints its number, every hidden one "—", never 0.
			for _, m := range marks {
				if m.Value != nil && !doc.has(m.Label) {
					t.Errorf("%s/%s: %q not printed", m.Row, m.Series, m.Label)
				}
			}
			if got := doc.count("—"); got != hidden {
				t.Errorf("%d cells print —, want %d", got, hidden)
			}
			if doc.has("0,00") {
				t.Error("a cell prints 0,00")
			}
			// One hatched grey box per hidden cell, plus the legend's.
			if got := len(doc.filled(colHidden())); got != hidden+1 {
				t.Errorf("%d grey boxes, want %d hidden cells + legend", got, hidden)
			}
			bandFills := 0
			for _, b := range bandsOf(tc.res.Settings) {
				bandFills += len(doc.filled(b.color)) - 1 // minus its legend swatch
			}
			if bandFills != shown {
				t.Errorf("%d coloured cells, want %d", bandFills, shown)
			}
			if !strings.Contains(strings.Join(doc.texts, "\n"), "kurang dari 5 responden") {
				t.Error("suppression note missing")
			}
		})
	}
}

func TestHeatmapCellColour(t *testing.T) {
	res := handResults()
	ch, err := Heatmap(res, heatmapOptions(analysis.Internal))
	if err != nil {
		t.Fatal(err)
	}
	_, doc := render(t, ch)
	bands := bandsOf(res.Settings)
	// transparansi: city 76,00 and B 70,00 … each cell takes its band's colour.
	want := map[string]int{"terjaga": 0, "waspada": 0, "rentan": 0}
	for _, m := range ch.Marks() {
		if m.Value != nil {
			want[analysis.Category(res.Settings, *m.Value).Slug]++
		}
	}
	for _, b := range bands {
		if got := len(doc.filled(b.color)) - 1; got != want[b.slug] {
			t.Errorf("%s: %d cells, want %d", b.slug, got, want[b.slug])
		}
	}
}

func TestHeatmapErrors(t *testing.T) {
	res := handResults()
	for _, tc := range []struct {
		name string
		edit func(*HeatmapOptions)
		want string
	}{
		{"pooled types", func(o *HeatmapOptions) { o.Type = "" }, "respondent type"},
		{"type without elements", func(o *HeatmapOptions) { o.Type = analysis.Expert }, "no element scores"},
		{"unknown unit", func(o *HeatmapOptions) { o.Units = []string{"X"} }, `"X"`},
		{"no city label", func(o *HeatmapOptions) { o.Text.City = "" }, "City"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := heatmapOptions(analysis.Internal)
			tc.edit(&opt)
			if _, err := Heatmap(res, opt); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one about %s", err, tc.want)
			}
		})
	}
}
