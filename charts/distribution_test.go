package charts

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"integritas/analysis"
)

func TestDistribution(t *testing.T) {
	hand, synth := handResults(), synthResults(t, 35, 12)
	for _, tc := range []struct {
		name, unit string
		res        *analysis.Results
		width      float64
		bins       []int // nil: suppressed
	}{
		{"hand", "A", hand, 0, []int{4, 0, 0, 0, 0, 0, 0, 4, 8, 24}},
		{"hand, 20-point bins", "A", hand, 20, []int{4, 0, 0, 4, 32}},
		{"synthetic", unitLong, synth, 0, []int{}},
		{"shown figure but n < k", "C", hand, 0, nil},
		{"suppressed figure", "D", hand, 0, nil},
		{"suppressed synthetic unit", unitSmall, synth, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := distributionOptions(tc.unit, analysis.Internal)
			opt.BinWidth = tc.width
			ch, err := Distribution(tc.res, opt)
			if err != nil {
				t.Fatal(err)
			}
			_, doc := render(t, ch)
			marks := ch.Marks()
			note := strings.Contains(doc.joined(), "kurang dari 5 responden")
			if tc.bins == nil {
				if len(marks) != 0 || len(doc.filled(colSky())) != 0 || !note {
					t.Fatalf("suppressed: %d marks, %d bars, note %v; want none, none, true", len(marks), len(doc.filled(colSky())), note)
				}
				return
			}
			if note {
				t.Error("note on a shown distribution")
			}
			scores := tc.res.Scores[tc.unit][analysis.Internal]
			u, _ := findUnit(tc.res, tc.unit)
			want := tc.bins
			if len(want) == 0 {
				want = histogram(scores, 10)
			}
			if len(marks) != len(want) {
				t.Fatalf("%d bins, want %d", len(marks), len(want))
			}
			total := 0
			var counts []float64
			for i, m := range marks {
				if int(*m.Value) != want[i] {
					t.Errorf("bin %s holds %v, want %d", m.Row, *m.Value, want[i])
				}
				total += int(*m.Value)
				if *m.Value > 0 {
					counts = append(counts, *m.Value)
				}
			}
			if total != len(scores) || total != *u.Components[analysis.Internal].N {
				t.Errorf("bins hold %d respondents, scores %d, component n %d", total, len(scores), *u.Components[analysis.Internal].N)
			}
			if tc.width == 0 && (marks[0].Row != "[0–10)" || marks[len(marks)-1].Row != "[90–100]") {
				t.Errorf("bin labels %q … %q", marks[0].Row, marks[len(marks)-1].Row)
			}
			for _, s := range []string{opt.Text.Title, "Skor komponen " + idFormat.score(*u.Components[analysis.Internal].Score),
				"Periode: SPI 2026 · " + u.Name + " · Responden internal (ASN) · n = " + idFormat.count(len(scores))} {
				if !doc.has(s) {
					t.Errorf("svg lacks %q", s)
				}
			}
			ax := readAxis(t, doc, idFormat, true)
			b0, b1 := barsAfter(doc, colSky(), true, 0)
			ax.check(t, "bar top", counts, b1)
			ax.check(t, "bar base", make([]float64, len(counts)), b0)
		})
	}
}

func TestDistributionErrors(t *testing.T) {
	// Scores are not serialised: results read back from JSON cannot draw it.
	data, err := json.Marshal(handResults())
	if err != nil {
		t.Fatal(err)
	}
	var back analysis.Results
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if _, err := Distribution(&back, distributionOptions("A", analysis.Internal)); !errors.Is(err, ErrNoScores) {
		t.Errorf("decoded results: %v, want ErrNoScores", err)
	}
	// A suppressed figure still draws the note: nothing to leak.
	if _, err := Distribution(&back, distributionOptions("D", analysis.Internal)); err != nil {
		t.Errorf("decoded results, suppressed unit: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(*DistributionOptions)
		want string
	}{
		{"bin too wide", func(o *DistributionOptions) { o.BinWidth = 60 }, "bin width"},
		{"negative bin", func(o *DistributionOptions) { o.BinWidth = -1 }, "bin width"},
		{"bad type", func(o *DistributionOptions) { o.Type = "" }, "respondent type"},
		{"no mean label", func(o *DistributionOptions) { o.Text.Mean = "" }, "Mean"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := distributionOptions("A", analysis.Internal)
			tc.edit(&opt)
			if _, err := Distribution(handResults(), opt); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one about %s", err, tc.want)
			}
		})
	}
}
