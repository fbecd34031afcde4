package loadtest

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"
)

// userHZ is the unit of the CPU times in /proc/PID/stat: the kernel
// reports them in USER_HZ ticks, 100 per second on every Linux ABI Go runs
// on, whatever the kernel's own tick rate.
const userHZ = 100

// CPUTimes is the user and system CPU time the child has used so far, from
// /proc/PID/stat (all its threads); ok is false when it cannot be read.
// Deltas over a stage give the stage's cost while the server keeps running.
func (p *ServerProcess) CPUTimes() (user, sys time.Duration, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.Pid()))
	if err != nil {
		return 0, 0, false
	}
	// The command name may hold spaces and parentheses: fields start after
	// the last ')'. utime and stime are fields 14 and 15 of the whole line,
	// 12th and 13th after the name.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 {
		return 0, 0, false
	}
	u, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	s, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	tick := time.Second / userHZ
	return time.Duration(u) * tick, time.Duration(s) * tick, true
}

// ResetPeakRSS sets the child's peak resident memory (VmHWM) back to its
// current resident memory, so the next PeakRSS is the peak of one stage
// alone (Linux 4.0+, our own child); false when the kernel refused.
func (p *ServerProcess) ResetPeakRSS() bool {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.Pid()), []byte("5"), 0) == nil
}
