package export

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"integritas/internal/synth"
	"integritas/survey"
)

// bigStore builds period BIG of n responses over 300 units.
func bigStore(b *testing.B, n int) (*survey.Store, *survey.Period) {
	b.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(b.TempDir(), "big.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	p, err := synth.Period(ctx, st, synth.Spec{Code: "BIG", Units: 300, Responses: n, Start: time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC), Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	return st, p
}

// peakHeap samples the live heap every few milliseconds until stop is called
// and returns the largest value seen.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// BenchmarkAnswersExport streams 50,000 and 500,000 responses to CSV and
// XLSX. Constant memory shows as the same peak heap for both sizes
// (heap-MB), while time grows with the rows.
func BenchmarkAnswersExport(b *testing.B) {
	for _, n := range []int{50_000, 500_000} {
		st, p := bigStore(b, n)
		for _, format := range []string{CSV, XLSX} {
			b.Run(fmt.Sprintf("%s/%d", format, n), func(b *testing.B) {
				opt := AnswersOptions{Text: Text{Sheet: "Jawaban", NotesSheet: "Catatan"}, MinGroup: 5, MinGroupText: 10}
				var peak uint64
				for b.Loop() {
					runtime.GC()
					stop := peakHeap()
					sum, err := Answers(context.Background(), answersOf(b, st, p), format, io.Discard, opt)
					peak = max(peak, stop())
					if err != nil || sum.Rows != n {
						b.Fatalf("%d rows, %v", sum.Rows, err)
					}
				}
				b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
				b.ReportMetric(float64(n), "rows")
			})
		}
	}
}
