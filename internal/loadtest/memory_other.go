//go:build !linux

package loadtest

// PeakRSS is unknown outside Linux (no /proc/PID/status).
func (p *ServerProcess) PeakRSS() int64 { return 0 }
