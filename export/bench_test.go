package export

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"integritas/assets"
	"integritas/survey"
)

// bigStore builds a period of n responses over 300 units with the default
// instrument, answers drawn around per-unit levels, in batches.
func bigStore(b *testing.B, n int) (*survey.Store, *survey.Period) {
	b.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(b.TempDir(), "big.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: "BIG", Instrument: assets.DefaultInstrument()})
	if err != nil {
		b.Fatal(err)
	}
	const units = 300
	var csv strings.Builder
	csv.WriteString("code,name,parent_code,head_email,internal_population,external_population,expert_population\n")
	for u := range units {
		fmt.Fprintf(&csv, "U%03d,Unit %d,,,%d,%d,%d\n", u, u, 2000+u, 100000, 40)
	}
	if _, err := st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(csv.String())); err != nil {
		b.Fatal(err)
	}
	us, _ := st.Units(ctx, p.ID)
	rng := rand.New(rand.NewPCG(1, 2))
	hour := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	batch := make([]survey.NewResponse, 0, 10000)
	for i := range n {
		typ := survey.Types[i%10%3]
		vec := make([]byte, len(p.Instrument.Items))
		for j, it := range p.Instrument.Items {
			if !it.For(typ) {
				continue
			}
			switch it.Scale.Kind {
			case survey.KindOrdinal:
				vec[j] = byte(1 + rng.IntN(it.Scale.Points))
			case survey.KindExperience:
				vec[j] = survey.AnswerNo
				if rng.IntN(5) == 0 {
					vec[j] = survey.AnswerYes
				}
			}
		}
		batch = append(batch, survey.NewResponse{PeriodID: p.ID, UnitID: us[i%units].ID, Type: typ, Channel: survey.ChannelInvitation,
			Submitted: hour.Add(time.Duration(i%2000) * time.Hour), Duration: 200 + rng.IntN(600), Answers: survey.Answers{Vector: vec}})
		if len(batch) == cap(batch) || i == n-1 {
			if err := st.InsertResponses(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
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
					sum, err := Answers(context.Background(), st, p, format, io.Discard, opt)
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
