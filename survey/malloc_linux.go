//go:build linux && cgo

package survey

/*
#include <malloc.h>
*/
import "C"

// keepFreedMemory stops the C allocator (SQLite's) from handing freed
// memory back to the kernel below 64 MiB of free space: a reader drops its
// page cache at every commit, and glibc returned those pages with madvise
// only to fault them in again at the next read — a TLB shootdown and page
// faults per commit. The process keeps its peak instead.
func keepFreedMemory() { C.mallopt(C.M_TRIM_THRESHOLD, 64<<20) }
