//go:build !linux || !cgo

package survey

// keepFreedMemory tunes glibc only (malloc_linux.go).
func keepFreedMemory() {}
