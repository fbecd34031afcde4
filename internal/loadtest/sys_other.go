//go:build !linux

package loadtest

func fsType(dir string) string { return "" }

func loadAverage() string { return "" }
