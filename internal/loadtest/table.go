package loadtest

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// printStages writes one row per stage and notes on how each figure was
// taken.
func (r *BenchResult) printStages(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stage\ttarget/s\tachieved/s\tresponses\terrors\tp50 ms\tp99 ms\tCPU µs/resp\tuser\tsys\tcommits\tresp/commit\tpeak MB\tload start\tload end\t")
	for _, s := range r.Stages {
		h := s.HTTP
		target, achieved := "max", commas(int(s.Rate()+0.5))
		if s.Target > 0 {
			target = commas(int(s.Target + 0.5))
			if !s.Held() {
				achieved += " NOT HELD"
			}
		}
		cpu, user, sys := "n/a", "n/a", "n/a"
		if per, u, sy := s.CPUPerResponse(); per > 0 {
			cpu, user, sys = micros(per), micros(u), micros(sy)
		}
		commits, per := "n/a", "n/a"
		if s.Commits >= 0 {
			commits, per = commas(int(s.Commits)), strconv.FormatFloat(s.PerCommit(), 'f', 1, 64)
		}
		peak := "n/a"
		if s.PeakRSS > 0 {
			peak = strconv.FormatInt(s.PeakRSS>>20, 10)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", s.Name(), target, achieved,
			commas(h.Stored), commas(h.Errors), msNum(Quantile(h.Total, 0.5)), msNum(Quantile(h.Total, 0.99)),
			cpu, user, sys, commits, per, peak, oneMinute(s.LoadStart), oneMinute(s.LoadEnd))
	}
	tw.Flush()

	fmt.Fprintf(w, "  latency: a whole response (%s); a paced response's counts from its scheduled arrival\n", r.Opts.way())
	fmt.Fprintln(w, "  CPU: the server's utime+stime (/proc/PID/stat, 10 ms ticks) over the stage ÷ acknowledged responses")
	fmt.Fprintln(w, "  commits: group commits of the server's answer writer over the stage (its /metrics)")
	if len(r.Stages) > 0 && r.Stages[0].PeakOfStage {
		fmt.Fprintln(w, "  peak MB: the server's VmHWM, reset at each stage's start: each stage's own peak")
	} else {
		fmt.Fprintln(w, "  peak MB: the server's VmHWM so far (could not be reset between stages)")
	}
	fmt.Fprintln(w, "  load: /proc/loadavg 1-minute figure at the stage's start and end (5 and 15 min in --json)")
	for _, s := range r.Stages {
		if s.ScrapeErr != "" {
			fmt.Fprintf(w, "  %s: commits n/a, not checked against the acknowledgements: %s\n", s.Name(), s.ScrapeErr)
		}
		if s.Target == 0 || len(s.HTTP.Lag) == 0 {
			continue
		}
		lag := s.HTTP.Lag
		fmt.Fprintf(w, "  %s: arrivals started late by p99 %s, at most %s (at most %d in progress)",
			s.Name(), ms(Quantile(lag, 0.99)), ms(lag[len(lag)-1]), s.Clients)
		if !s.Held() {
			fmt.Fprintf(w, "; the rate was NOT held: %s/s achieved, below 95 %% of the target", commas(int(s.Rate()+0.5)))
		}
		fmt.Fprintln(w)
	}
}

// micros is a duration in whole microseconds, without the unit.
func micros(d time.Duration) string { return commas(int(d.Microseconds())) }

// msNum is a duration in milliseconds with one decimal, without the unit.
func msNum(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

// oneMinute is the 1-minute figure of a load average "1 5 15".
func oneMinute(load string) string {
	if f := strings.Fields(load); len(f) > 0 {
		return f[0]
	}
	return "n/a"
}
