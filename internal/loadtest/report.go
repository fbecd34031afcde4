package loadtest

import (
	"fmt"
	"io"
	"runtime"
	"strconv"
	"time"
)

// The targets of issue 8 for a 2-core machine.
const (
	TargetRate   = 2000                  // acknowledged responses per second
	TargetP99    = 50 * time.Millisecond // a complete response at 64 clients
	TargetMemory = 200 << 20             // the server's peak resident memory
)

// Problems lists what makes the run a failure, whatever the machine's
// speed: errors, and a database that does not hold exactly the
// acknowledged responses.
func (r *BenchResult) Problems() []string {
	var out []string
	h := r.HTTP
	if h.Errors > 0 {
		out = append(out, fmt.Sprintf("%d respondents were not acknowledged", h.Errors))
	}
	if r.StoredRows != h.Stored {
		out = append(out, fmt.Sprintf("the database holds %d responses, %d were acknowledged", r.StoredRows, h.Stored))
	}
	if inv := h.ByKind[InviteForm] + h.ByKind[InviteAPI]; r.UsedInvites != inv {
		out = append(out, fmt.Sprintf("%d invitations are marked used, %d invitation responses were acknowledged", r.UsedInvites, inv))
	}
	if r.ServerErrs > 0 {
		out = append(out, fmt.Sprintf("the server logged %d errors, the last: %s", r.ServerErrs, r.LastErrLine))
	}
	if h.Stored == 0 {
		out = append(out, "no response was stored")
	}
	return out
}

// Print writes the report: what ran, the figures beside their targets, and
// the raw limit with the ratio.
func (r *BenchResult) Print(w io.Writer) {
	h, o := r.HTTP, r.Opts
	way := "GET page + POST form"
	if o.API {
		way = "POST /api/v1/responses (JSON)"
	}
	fs := r.FSType
	if fs == "" {
		fs = "file system unknown"
	}
	fmt.Fprintf(w, "\nintegritas bench · %d clients · %s · %.0f%% invitation links, %.0f%% open links · seed %d\n",
		o.Clients, way, 100*o.Mix, 100*(1-o.Mix), o.Seed)
	fmt.Fprintf(w, "machine: %d CPUs, %s/%s, %s; load average before: %s\n", r.CPUs, runtime.GOOS, runtime.GOARCH, runtime.Version(), orNA(r.LoadBefore))
	fmt.Fprintf(w, "database: %s (%s), synchronous=FULL: every acknowledged response is on disk\n\n", r.DBDir, fs)

	fmt.Fprintf(w, "Real server (integritas serve, child process), %s over HTTP on 127.0.0.1\n", way)
	fmt.Fprintf(w, "  responses        %s acknowledged in %.1f s (%s invitation, %s open link), %d errors\n",
		commas(h.Stored), h.Elapsed.Seconds(), commas(h.ByKind[InviteForm]+h.ByKind[InviteAPI]), commas(h.ByKind[OpenForm]+h.ByKind[OpenAPI]), h.Errors)
	fmt.Fprintf(w, "  throughput       %s responses/s%s\n", commas(int(h.Rate()+0.5)), verdict(h.Rate() >= TargetRate, "≥ 2,000/s"))
	p50, p99 := Quantile(h.Total, 0.50), Quantile(h.Total, 0.99)
	fmt.Fprintf(w, "  latency          p50 %s, p99 %s (submission alone: p50 %s, p99 %s)%s\n",
		ms(p50), ms(p99), ms(Quantile(h.Post, 0.50)), ms(Quantile(h.Post, 0.99)), verdict(p99 < TargetP99 && len(h.Total) > 0, "p99 < 50 ms"))
	if r.PeakRSS > 0 {
		fmt.Fprintf(w, "  server memory    %.0f MB peak resident (VmHWM)%s\n", float64(r.PeakRSS)/(1<<20), verdict(r.PeakRSS < TargetMemory, "< 200 MB"))
	} else {
		fmt.Fprintf(w, "  server memory    n/a (peak memory is read from /proc on Linux)\n")
	}
	if h.Stored > 0 {
		per := r.ServerCPU / time.Duration(h.Stored)
		fmt.Fprintf(w, "  server CPU       %s per response (%d cores / that = %s responses/s if the server had the machine alone)\n",
			us(per), r.CPUs, commas(int(float64(r.CPUs)*float64(time.Second)/float64(max(per, 1)))))
	}
	fmt.Fprintf(w, "  stored           %s responses in the database, %s invitations used%s\n", commas(r.StoredRows), commas(r.UsedInvites),
		verdict(r.StoredRows == h.Stored, "= acknowledged"))
	for _, p := range h.TopProblems(5) {
		fmt.Fprintf(w, "  error ×%d: %s\n", h.Problems[p], p)
	}

	fmt.Fprintf(w, "\nRaw limit: the same %s responses straight into the store, same disk, synchronous=FULL, no HTTP\n", commas(r.RawN))
	fmt.Fprintf(w, "  committer alone  %s responses/s (%d writers, group commit)   the server reaches %.0f%% of it\n",
		commas(int(r.RawCommit+0.5)), o.Clients, pct(h.Rate(), r.RawCommit))
	fmt.Fprintf(w, "  bulk insert      %s responses/s (500 per transaction)      the server reaches %.0f%% of it\n",
		commas(int(r.RawBulk+0.5)), pct(h.Rate(), r.RawBulk))
	if probs := r.Problems(); len(probs) > 0 {
		fmt.Fprintln(w, "\nFAILED:")
		for _, p := range probs {
			fmt.Fprintln(w, "  -", p)
		}
	}
}

func verdict(ok bool, target string) string {
	if ok {
		return "   target " + target + ": met"
	}
	return "   target " + target + ": MISSED"
}

func pct(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return 100 * a / b
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
}

func us(d time.Duration) string { return strconv.FormatInt(d.Microseconds(), 10) + " µs" }

func orNA(s string) string {
	if s == "" {
		return "n/a"
	}
	return s
}

// commas writes n with thousands separators: 12,345.
func commas(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
