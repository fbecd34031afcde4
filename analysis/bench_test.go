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
