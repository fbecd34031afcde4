//go:build linux

package results

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// touch makes the memory under rs present and writable in one madvise
// call, before the scan fills it and before the garbage collector reads
// it. A large slice fresh from the kernel is not zeroed by the runtime;
// a GC cycle that scanned it mid-read mapped the kernel's shared zero
// page under the unfilled part, and the fill's first write to each such
// page then took a copy-on-write fault that flushed the TLB of every core
// (an IPI, slow in a VM). Those faults were a third of the CPU time of
// BenchmarkNationalPeriod (perf: do_wp_page, flush_tlb_mm_range under
// results.fill); populated up front, a compute took 2.0–2.9 CPU-s
// instead of 3.3–5.1 (same machine, same load, 5 computes each).
// Writing one word per page instead still took the copy-on-write faults.
// The answers' slab, which the collector never reads, gains the one
// syscall instead of a fault per page: 5,000 fewer faults per compute
// (perf stat, 6 computes: 118,367 faults and 13.0 CPU-s before, 88,688
// and 12.2 after).
func touch[T any](rs []T) {
	if len(rs) == 0 {
		return
	}
	const page = 4096
	base := uintptr(unsafe.Pointer(&rs[0]))
	size := uintptr(len(rs)) * unsafe.Sizeof(rs[0])
	start, end := (base+page-1)&^(page-1), (base+size)&^(page-1)
	if end <= start {
		return
	}
	// An error (a kernel before 5.14) leaves the faults to the fill.
	unix.Madvise(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(&rs[0]), start-base)), end-start), unix.MADV_POPULATE_WRITE)
}
