package results

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"integritas/assets"
	"integritas/demo"
	"integritas/survey"
)

// nationalStore builds a period of n responses over units units with the
// default instrument (47 items), answers drawn around per-unit levels.
func nationalStore(b *testing.B, n, units int) *survey.Store {
	b.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(b.TempDir(), "national.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: "NAT", Instrument: assets.DefaultInstrument()})
	if err != nil {
		b.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("code,name,parent_code,head_email,internal_population,external_population,expert_population\n")
	for u := 0; u < units; u++ {
		fmt.Fprintf(&csv, "U%03d,Unit %d,,,%d,%d,%d\n", u, u, 2000+u, 100000, 40)
	}
	if _, err := st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(csv.String())); err != nil {
		b.Fatal(err)
	}
	us, _ := st.Units(ctx, p.ID)
	rng := rand.New(rand.NewPCG(1, 2))
	hour := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	batch := make([]survey.NewResponse, 0, 10000)
	for i := 0; i < n; i++ {
		u := us[i%units]
		typ := survey.Types[i%10%3]
		level := 0.6 + 0.3*float64(i%units)/float64(units)
		vec := make([]byte, len(p.Instrument.Items))
		for j, it := range p.Instrument.Items {
			if !it.For(typ) {
				continue
			}
			switch it.Scale.Kind {
			case survey.KindOrdinal:
				x := min(1, max(0, level+rng.NormFloat64()*0.15))
				vec[j] = byte(1 + int(x*float64(it.Scale.Points-1)+0.5))
			case survey.KindExperience:
				vec[j] = survey.AnswerNo
				if rng.Float64() < (1-level)*0.4 {
					vec[j] = survey.AnswerYes
				}
			}
		}
		batch = append(batch, survey.NewResponse{PeriodID: p.ID, UnitID: u.ID, Type: typ, Channel: survey.ChannelInvitation,
			Submitted: hour.Add(time.Duration(i%2000) * time.Hour), Duration: 200 + rng.IntN(600), Answers: survey.Answers{Vector: vec}})
		if len(batch) == cap(batch) || i == n-1 {
			if err := st.InsertResponses(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return st
}

// BenchmarkNationalPeriod computes full results for 500,000 responses × 47
// items over 300 units, reading from the SQLite store (target: < 3 s, < 1 GB).
func BenchmarkNationalPeriod(b *testing.B) {
	st := nationalStore(b, 500_000, 300)
	ctx := context.Background()
	b.ResetTimer()
	var peak uint64
	for i := 0; i < b.N; i++ {
		r, err := Compute(ctx, st, "NAT", Options{})
		if err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
		runtime.KeepAlive(r)
	}
	b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
}

// BenchmarkReadNational measures the store read alone.
func BenchmarkReadNational(b *testing.B) {
	st := nationalStore(b, 500_000, 300)
	ctx := context.Background()
	p, _ := st.Period(ctx, "NAT")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := Load(ctx, st, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDemoCity computes the demo city's current period (target: < 100 ms).
func BenchmarkDemoCity(b *testing.B) {
	st := demoStore(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Compute(ctx, st, demo.Current, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
