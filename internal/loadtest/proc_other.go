//go:build !linux

package loadtest

import "time"

// CPUTimes is unknown outside Linux (no /proc/PID/stat).
func (p *ServerProcess) CPUTimes() (user, sys time.Duration, ok bool) { return 0, 0, false }

// ResetPeakRSS is not possible outside Linux.
func (p *ServerProcess) ResetPeakRSS() bool { return false }
