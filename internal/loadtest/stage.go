package loadtest

import (
	"context"
	"fmt"
	"time"
)

// Stage is one load applied to the running server, with what the server
// spent on it.
type Stage struct {
	Target  float64 // arrivals per second of a paced stage; 0: the closed loop
	Clients int     // closed loop: respondents at once; paced: the bound on those in progress
	HTTP    *Report

	CPUKnown        bool          // the server's CPU times could be read
	CPUUser, CPUSys time.Duration // the server's CPU over the stage

	// Committed and Commits are the deltas of the committer's counters over
	// the stage (integritas_committer_stored_total, _commits_total at
	// /metrics); -1 when /metrics could not be read.
	Committed, Commits int64
	ScrapeErr          string // why /metrics could not be read, if it could not

	PeakRSS     int64 // the server's peak resident memory, bytes (0: unknown)
	PeakOfStage bool  // PeakRSS is this stage's own (VmHWM reset at its start), not the run's so far

	LoadStart, LoadEnd string // /proc/loadavg (1, 5, 15 min) at the stage's start and end
}

// Name says what the stage was: "closed loop" or "paced 300/s".
func (s *Stage) Name() string {
	if s.Target == 0 {
		return "closed loop"
	}
	return fmt.Sprintf("paced %s/s", commas(int(s.Target+0.5)))
}

// Rate is the acknowledged responses per second the stage achieved.
func (s *Stage) Rate() float64 { return s.HTTP.Rate() }

// Held reports whether a paced stage achieved at least 95 % of its target
// (the elapsed time includes the last responses' latency); a closed loop
// has no target and always holds.
func (s *Stage) Held() bool { return s.Target == 0 || s.Rate() >= 0.95*s.Target }

// CPUPerResponse is the server's CPU time per acknowledged response over
// the stage, user and system together (0 when unknown or none).
func (s *Stage) CPUPerResponse() (total, user, sys time.Duration) {
	n := time.Duration(s.HTTP.Stored)
	if !s.CPUKnown || n == 0 {
		return 0, 0, 0
	}
	return (s.CPUUser + s.CPUSys) / n, s.CPUUser / n, s.CPUSys / n
}

// PerCommit is the acknowledged responses per group commit, 0 when unknown.
func (s *Stage) PerCommit() float64 {
	if s.Commits <= 0 {
		return 0
	}
	return float64(s.Committed) / float64(s.Commits)
}

// Invitations is the invitation responses the stage had acknowledged.
func (s *Stage) Invitations() int { return s.HTTP.ByKind[InviteForm] + s.HTTP.ByKind[InviteAPI] }

// measure runs one stage against srv and reads, around it, the server's
// CPU times, its committer's counters (through /metrics with token), its
// peak memory and the machine's load average. The scrape happens outside
// the CPU window: reading /metrics counts the database's rows.
func measure(ctx context.Context, srv *ServerProcess, c *Client, token string, st *Stage, run func() *Report) {
	before, errBefore := scrapeCommits(ctx, c, token)
	st.PeakOfStage = srv.ResetPeakRSS()
	st.LoadStart = loadAverage()
	u0, s0, ok0 := srv.CPUTimes()
	st.HTTP = run()
	u1, s1, ok1 := srv.CPUTimes()
	st.LoadEnd = loadAverage()
	st.PeakRSS = srv.PeakRSS()
	st.CPUKnown, st.CPUUser, st.CPUSys = ok0 && ok1, u1-u0, s1-s0
	after, errAfter := scrapeCommits(ctx, c, token)
	st.Committed, st.Commits = -1, -1
	switch {
	case errBefore != nil:
		st.ScrapeErr = errBefore.Error()
	case errAfter != nil:
		st.ScrapeErr = errAfter.Error()
	default:
		st.Committed, st.Commits = after.Stored-before.Stored, after.Commits-before.Commits
	}
}
