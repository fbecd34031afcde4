package charts

import (
	"image"
	"image/color"
	"io"
	"sync"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"integritas/analysis"
)

// bench300 computes a 300-unit period once for all benchmarks.
var bench300 = sync.OnceValue(func() *analysis.Results {
	res, err := analysis.Compute(synthInput(7, 300, 10))
	if err != nil {
		panic(err)
	}
	return res
})

// benchChart builds and renders a chart per iteration, as a request does.
func benchChart(b *testing.B, build func(*analysis.Results) (*Chart, error), svg bool) {
	res := bench300()
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		ch, err := build(res)
		if err != nil {
			b.Fatal(err)
		}
		if svg {
			err = ch.SVG(io.Discard)
		} else {
			err = ch.PNG(io.Discard)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	// CPU time per render, which a loaded shared machine does not inflate
	// the way it inflates wall time.
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ranking300(res *analysis.Results) (*Chart, error) { return Ranking(res, rankingOptions()) }
func heatmap300(res *analysis.Results) (*Chart, error) {
	return Heatmap(res, heatmapOptions(analysis.Internal))
}
func response300(res *analysis.Results) (*Chart, error) {
	return ResponseRate(res, responseOptions(""))
}
func profile300(res *analysis.Results) (*Chart, error) {
	return Profile(res, profileOptions(unitLong, analysis.Internal))
}
func distribution300(res *analysis.Results) (*Chart, error) {
	return Distribution(res, distributionOptions(unitLong, analysis.Internal))
}
func trend300(*analysis.Results) (*Chart, error) { return Trend(trendPoints(), trendOptions()) }

func BenchmarkRanking300PNG(b *testing.B)      { benchChart(b, ranking300, false) }
func BenchmarkRanking300SVG(b *testing.B)      { benchChart(b, ranking300, true) }
func BenchmarkHeatmap300PNG(b *testing.B)      { benchChart(b, heatmap300, false) }
func BenchmarkHeatmap300SVG(b *testing.B)      { benchChart(b, heatmap300, true) }
func BenchmarkResponse300PNG(b *testing.B)     { benchChart(b, response300, false) }
func BenchmarkResponse300SVG(b *testing.B)     { benchChart(b, response300, true) }
func BenchmarkProfile300PNG(b *testing.B)      { benchChart(b, profile300, false) }
func BenchmarkProfile300SVG(b *testing.B)      { benchChart(b, profile300, true) }
func BenchmarkDistribution300PNG(b *testing.B) { benchChart(b, distribution300, false) }
func BenchmarkDistribution300SVG(b *testing.B) { benchChart(b, distribution300, true) }
func BenchmarkTrendPNG(b *testing.B)           { benchChart(b, trend300, false) }
func BenchmarkTrendSVG(b *testing.B)           { benchChart(b, trend300, true) }

// vgimgPNG renders through plain vgimg, without the raster's fast paths:
// what drawing the PNGs "with vgimg itself" would cost, for comparison in
// the same run as BenchmarkRanking300PNG.
func vgimgPNG(b *testing.B, build func(*analysis.Results) (*Chart, error)) {
	res := bench300()
	start := cpuTime()
	for b.Loop() {
		ch, err := build(res)
		if err != nil {
			b.Fatal(err)
		}
		cv := vgimg.NewWith(vgimg.UseWH(ch.w, ch.h), vgimg.UseDPI(ch.dpi), vgimg.UseBackgroundColor(color.White))
		ch.paint(draw.New(cv))
		if err := encodePNG(io.Discard, cv.Image().(*image.RGBA)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

func BenchmarkRanking300PNGVgimg(b *testing.B) { vgimgPNG(b, ranking300) }
func BenchmarkHeatmap300PNGVgimg(b *testing.B) { vgimgPNG(b, heatmap300) }
