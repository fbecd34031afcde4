//go:build !linux

package results

import "integritas/analysis"

// touch populates rs's memory up front on Linux only (touch_linux.go).
func touch([]analysis.Response) {}
