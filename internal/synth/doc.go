// Package synth builds synthetic survey periods for benchmarks: hundreds of
// units and up to a national-scale number of responses, with answers drawn
// around per-unit integrity levels. Seeded, so runs compare like with like.
package synth
