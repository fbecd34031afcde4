package analysis

import (
	"context"
	"math/rand/v2"
	"runtime/pprof"
	"slices"
	"testing"
)

func benchmarkCompute(b *testing.B, nu, n int) {
	in := genInput(42, nu, n, 40)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompute is a national-scale period: 500,000 responses × 40 items, 300 units.
func BenchmarkCompute(b *testing.B) { benchmarkCompute(b, 300, 500_000) }

// BenchmarkComputeDemo is a demo-size period: 5,000 responses, 35 units.
func BenchmarkComputeDemo(b *testing.B) { benchmarkCompute(b, 35, 5_000) }

// BenchmarkCoachGroup is the cluster search with its 200 permutations on one
// unit-type (about 800 ceiling-heavy responses over 30 days) whose observed
// largest cluster reaches the threshold.
func BenchmarkCoachGroup(b *testing.B) {
	in := genInput(42, 300, 500_000, 40)
	m, err := newModel(in)
	if err != nil {
		b.Fatal(err)
	}
	var s coachScratch
	members := m.cells(in.Responses)
	for c, cl := range m.coachCells(in.Responses, members, make([]bool, len(members))) {
		g := m.coachGroup(in.Responses, c%numTypes, cl)
		if g == nil {
			continue
		}
		if cl, _ := m.searchGroup(in.Responses, g, &s); len(cl) == 0 {
			continue
		}
		b.Logf("%s %s: %d responses", g.unit, Types()[g.typ], len(g.resp))
		b.ResetTimer()
		for b.Loop() {
			m.searchGroup(in.Responses, g, &s)
		}
		return
	}
	b.Fatal("no group reaches the threshold")
}

// BenchmarkMemoAppend is the results cache's incremental step without the
// store: 1,000 responses appended to a computed national period (500,000
// responses × 47 items, 300 units) as fieldwork releases them, 100 batches
// of 10 of one unit and type, then the memo's ComputeAppended (labelled for pprof
// -tagfocus bench=append).
func BenchmarkMemoAppend(b *testing.B) {
	const n, batches, size = 500_000, 100, 10
	in := genInput(42, 300, n, 47)
	pool := genInput(43, 300, 40*batches*size*3, 47).Responses
	byType := map[string][]Response{}
	for _, r := range pool {
		byType[r.Type] = append(byType[r.Type], r)
	}
	rng := rand.New(rand.NewPCG(16, 16))
	all := slices.Grow(slices.Clone(in.Responses), 40*batches*size)
	for range 40 * batches {
		unit, typ := in.Units[rng.IntN(len(in.Units))].Code, Types()[rng.IntN(2)]
		for range size {
			r := byType[typ][0]
			byType[typ] = byType[typ][1:]
			r.ID, r.Unit = int64(len(all)+1), unit
			all = append(all, r)
		}
	}
	in.Responses = all[:n]
	mm := NewMemo()
	if _, err := mm.Compute(in); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if len(in.Responses)+batches*size > len(all) {
			b.Fatal("out of responses: run with -benchtime ≤ 40x")
		}
		kept := len(in.Responses)
		in.Responses = all[:kept+batches*size]
		var err error
		pprof.Do(context.Background(), pprof.Labels("bench", "append"), func(context.Context) { _, err = mm.ComputeAppended(in, kept) })
		if err != nil {
			b.Fatal(err)
		}
	}
}
