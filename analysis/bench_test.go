package analysis

import "testing"

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
