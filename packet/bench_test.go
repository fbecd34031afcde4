package packet

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"integritas/assets"
	"integritas/survey"
)

// cityStore builds a period of units units with about perUnit responses each
// (internal, external and expert), and a closed earlier period for the trend.
func cityStore(b testing.TB, units, perUnit int) *survey.Store {
	b.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(b.TempDir(), "city.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	rng := rand.New(rand.NewPCG(3, 4))
	for pi, code := range []string{"P1", "P2"} {
		p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: code, Name: "SPI 202" + fmt.Sprint(5+pi), Instrument: assets.DefaultInstrument()})
		if err != nil {
			b.Fatal(err)
		}
		var csv strings.Builder
		csv.WriteString("code,name,parent_code,head_email,internal_population,external_population,expert_population\n")
		for u := 0; u < units; u++ {
			fmt.Fprintf(&csv, "U%03d,Unit Kerja %d,,head%d@example.org,%d,%d,%d\n", u, u, u, 60+u%200, 5000, 12)
		}
		if _, err := st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(csv.String())); err != nil {
			b.Fatal(err)
		}
		us, _ := st.Units(ctx, p.ID)
		hour := time.Date(2025+pi, 7, 1, 8, 0, 0, 0, time.UTC)
		var batch []survey.NewResponse
		for ui, u := range us {
			level := 0.6 + 0.3*float64(ui)/float64(units)
			for i := 0; i < perUnit; i++ {
				typ := survey.Types[i%10%3]
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
					Submitted: hour.Add(time.Duration(i) * time.Hour), Duration: 200 + rng.IntN(600), Answers: survey.Answers{Vector: vec}})
			}
		}
		if err := st.InsertResponses(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

// BenchmarkPackets300 builds the packets of 300 units, from loading the
// results to the last ZIP on disk (target: under 60 s on 2 cores).
func BenchmarkPackets300(b *testing.B) {
	st := cityStore(b, 300, 40)
	ctx := context.Background()
	bd := bundle(b)
	dir := b.TempDir()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		src, err := Load(ctx, st, Compute(st), "P2", bd, "Inspektorat", fixtureNow)
		if err != nil {
			b.Fatal(err)
		}
		if err := src.BuildAll(ctx, dir, "id", nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	entries, _ := os.ReadDir(dir)
	if len(entries) != 300 {
		b.Fatalf("%d packets, want 300", len(entries))
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/300-packets")
	// CPU seconds show the cost apart from other load on a shared machine:
	// on an idle 2-core machine the wall time is about half of it.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/300-packets")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
