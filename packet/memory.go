package packet

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// workerMemory is the room a build leaves each worker above what is live
// before it starts (LimitMemory).
const workerMemory = 48 << 20

// LimitMemory sets a soft memory limit for building packets and returns a
// function that restores the limit before it: what is live now (the
// Source, mostly) plus workerMemory per worker. It does nothing when the
// operator set GOMEMLIMIT (getenv) or the limit already set is lower.
//
// Why: under Go's default GOGC=100 the heap grows to twice what the last
// collection found live, and while the workers allocate some 350 MB per
// CPU-second, a collection also finds live much of what they allocate
// during it: BenchmarkPackets300's build, with some 35 MB really live
// (15 of them the source), was marked 60–80 MB live and peaked at 160–165
// MB resident. Under this limit (111 MiB there) it peaked at 135–137 MB,
// its CPU time within the noise of a shared machine; a limit of 105 MiB
// over a 26 MB source made the collector run so often that it cost about
// a fifth more CPU.
func LimitMemory(getenv func(string) string) (restore func()) {
	if getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	runtime.GC() // what the source really holds, not the garbage of loading it
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	limit := int64(s[0].Value.Uint64()) + int64(runtime.GOMAXPROCS(0))*workerMemory
	prev := debug.SetMemoryLimit(-1) // reads it
	if prev <= limit {
		return func() {}
	}
	debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}
