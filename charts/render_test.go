package charts

import (
	"os"
	"path/filepath"
	"testing"

	"integritas/analysis"
)

// TestWriteSamples writes every chart under $CHARTS_SAMPLES for a human to look at.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("CHARTS_SAMPLES")
	if dir == "" {
		dir = t.TempDir() // still proves every sample renders and writes
	}
	res := synthResults(t, 35, 12)
	charts := map[string]func() (*Chart, error){
		"ranking":                 func() (*Chart, error) { return Ranking(res, rankingOptions()) },
		"heatmap":                 func() (*Chart, error) { return Heatmap(res, heatmapOptions(analysis.Internal)) },
		"heatmap-external":        func() (*Chart, error) { return Heatmap(res, heatmapOptions(analysis.External)) },
		"profile":                 func() (*Chart, error) { return Profile(res, profileOptions(unitLong, analysis.Internal)) },
		"profile-suppressed":      func() (*Chart, error) { return Profile(res, profileOptions(unitSmall, analysis.Internal)) },
		"trend":                   func() (*Chart, error) { return Trend(trendPoints(), trendOptions()) },
		"distribution":            func() (*Chart, error) { return Distribution(res, distributionOptions(unitLong, analysis.Internal)) },
		"distribution-suppressed": func() (*Chart, error) { return Distribution(res, distributionOptions(unitSmall, analysis.Internal)) },
		"response":                func() (*Chart, error) { return ResponseRate(res, responseOptions("")) },
	}
	for name, build := range charts {
		ch, err := build()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for ext, write := range map[string]func(*Chart, *os.File) error{
			".png": func(c *Chart, f *os.File) error { return c.PNG(f) },
			".svg": func(c *Chart, f *os.File) error { return c.SVG(f) },
		} {
			f, err := os.Create(filepath.Join(dir, name+ext))
			if err != nil {
				t.Fatal(err)
			}
			if err := write(ch, f); err != nil {
				t.Fatalf("%s%s: %v", name, ext, err)
			}
			f.Close()
		}
	}
}
