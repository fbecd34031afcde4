package charts

import (
	"testing"

	"integritas/analysis"
)

// TestChartsSayWhichN: every chart that prints an n carries the note that
// says which n it is, and the ranking's subtitle counts units in words.
func TestChartsSayWhichN(t *testing.T) {
	res, err := analysis.Compute(synthInput(7, 12, 10))
	if err != nil {
		t.Fatal(err)
	}
	const counted = "n = responden yang dihitung dalam angka ini"
	rank := rankingOptions()
	rank.Text.Counted, rank.Text.Ranked = counted, "{n} unit berperingkat"
	heat := heatmapOptions(analysis.Internal)
	heat.Text.Counted = counted
	prof := profileOptions(unitKec, analysis.Internal)
	prof.Text.Counted = counted
	dist := distributionOptions(unitKec, analysis.Internal)
	dist.Text.Counted = counted
	trend := trendOptions()
	trend.Text.Counted = counted
	for name, build := range map[string]func() (*Chart, error){
		"ranking":      func() (*Chart, error) { return Ranking(res, rank) },
		"heatmap":      func() (*Chart, error) { return Heatmap(res, heat) },
		"profile":      func() (*Chart, error) { return Profile(res, prof) },
		"distribution": func() (*Chart, error) { return Distribution(res, dist) },
		"trend":        func() (*Chart, error) { return Trend(trendPoints(), trend) },
	} {
		ch, err := build()
		if err != nil {
			t.Fatal(name, err)
		}
		_, doc := render(t, ch)
		if !doc.has(counted) {
			t.Errorf("%s: no note saying which n", name)
		}
		// every unit but the small one (3 < k) is ranked: no complementary
		// suppression hides a neighbour since spi-method v2
		if name == "ranking" && !doc.has("Periode: SPI 2026 · 11 unit berperingkat") {
			t.Errorf("ranking subtitle: %q", doc.joined()[:200])
		}
	}
}
