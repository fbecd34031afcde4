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
// speed: errors in any stage, a database that does not hold exactly the
// responses acknowledged over all stages, and a stage whose acknowledged
// responses differ from what the server's committer says it stored then.
func (r *BenchResult) Problems() []string {
	var out []string
	var errs, stored, inv int
	for _, s := range r.Stages {
		errs, stored, inv = errs+s.HTTP.Errors, stored+s.HTTP.Stored, inv+s.Invitations()
		if s.Committed >= 0 && s.Committed != int64(s.HTTP.Stored) {
			out = append(out, fmt.Sprintf("%s: the server committed %d responses, %d were acknowledged", s.Name(), s.Committed, s.HTTP.Stored))
		}
	}
	if errs > 0 {
		out = append(out, fmt.Sprintf("%d respondents met an error", errs))
	}
	if r.StoredRows != stored {
		out = append(out, fmt.Sprintf("the database holds %d responses, %d were acknowledged", r.StoredRows, stored))
	}
	if r.UsedInvites != inv {
		out = append(out, fmt.Sprintf("%d invitations are marked used, %d invitation responses were acknowledged", r.UsedInvites, inv))
	}
	if r.ServerErrs > 0 {
		out = append(out, fmt.Sprintf("the server logged %d errors, the last: %s", r.ServerErrs, r.LastErrLine))
	}
	if stored == 0 {
		out = append(out, "no response was stored")
	}
	return out
}

// Acknowledged is the responses acknowledged over all stages, and of them
// those on invitation links.
func (r *BenchResult) Acknowledged() (all, invitations int) {
	for _, s := range r.Stages {
		all, invitations = all+s.HTTP.Stored, invitations+s.Invitations()
	}
	return all, invitations
}

// way says how respondents answer in this run.
func (o BenchOptions) way() string {
	switch {
	case o.API:
		return "POST /api/v1/responses (JSON)"
	case o.NoThanks:
		return "GET page + POST form (thanks page not followed)"
	}
	return "GET page + POST form + GET thanks page"
}

// Print writes the report: what ran, a table of the stages, the closed
// loop's figures beside their targets, and the raw limit with the ratio.
func (r *BenchResult) Print(w io.Writer) {
	o, c := r.Opts, r.Closed()
	h := c.HTTP
	fs := r.FSType
	if fs == "" {
		fs = "file system unknown"
	}
	fmt.Fprintf(w, "\nintegritas bench · %s · %.0f%% invitation links, %.0f%% open links · seed %d\n",
		o.way(), 100*o.Mix, 100*(1-o.Mix), o.Seed)
	fmt.Fprintf(w, "machine: %d CPUs, %s/%s, %s; load average before: %s\n", r.CPUs, runtime.GOOS, runtime.GOARCH, runtime.Version(), orNA(r.LoadBefore))
	if r.Opts.Postgres != "" {
		fmt.Fprintf(w, "database: PostgreSQL, scratch databases beside %s; the server CPU below is integritas's alone, not PostgreSQL's\n", r.DBDir)
	} else {
		fmt.Fprintf(w, "database: %s (%s), synchronous=FULL: every acknowledged response is on disk\n", r.DBDir, fs)
	}
	fmt.Fprintf(w, "server: one integritas serve child process on 127.0.0.1 for every stage, paced stages first, then the closed loop\n\n")
	r.printStages(w)

	fmt.Fprintf(w, "\nClosed loop (%d respondents at once, each starting when the last finished): the maximum\n", o.Clients)
	fmt.Fprintf(w, "  responses        %s acknowledged in %.1f s (%s invitation, %s open link), %s errors\n",
		commas(h.Stored), h.Elapsed.Seconds(), commas(c.Invitations()), commas(h.Stored-c.Invitations()), commas(h.Errors))
	fmt.Fprintf(w, "  throughput       %s responses/s%s\n", commas(int(h.Rate()+0.5)), verdict(h.Rate() >= TargetRate, "≥ 2,000/s"))
	p50, p99 := Quantile(h.Total, 0.50), Quantile(h.Total, 0.99)
	fmt.Fprintf(w, "  latency          p50 %s, p99 %s (submission alone: p50 %s, p99 %s)%s\n",
		ms(p50), ms(p99), ms(Quantile(h.Post, 0.50)), ms(Quantile(h.Post, 0.99)), verdict(p99 < TargetP99 && len(h.Total) > 0, "p99 < 50 ms"))
	if peak := r.PeakRSS(); peak > 0 {
		fmt.Fprintf(w, "  server memory    %.0f MB peak resident over the run (VmHWM)%s\n", float64(peak)/(1<<20), verdict(peak < TargetMemory, "< 200 MB"))
	} else {
		fmt.Fprintf(w, "  server memory    n/a (peak memory is read from /proc on Linux)\n")
	}
	if per, _, _ := c.CPUPerResponse(); per > 0 {
		fmt.Fprintf(w, "  server CPU       %s per response (%d cores / that = %s responses/s if the server had the machine alone)\n",
			us(per), r.CPUs, commas(int(float64(r.CPUs)*float64(time.Second)/float64(per))))
	}
	all, inv := r.Acknowledged()
	fmt.Fprintf(w, "  stored           %s responses in the database, %s invitations used, over all stages%s\n", commas(r.StoredRows), commas(r.UsedInvites),
		verdict(r.StoredRows == all && r.UsedInvites == inv, "= acknowledged"))
	for _, s := range r.Stages {
		for _, p := range s.HTTP.TopProblems(5) {
			fmt.Fprintf(w, "  %s error ×%d: %s\n", s.Name(), s.HTTP.Problems[p], p)
		}
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

func us(d time.Duration) string { return commas(int(d.Microseconds())) + " µs" }

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
