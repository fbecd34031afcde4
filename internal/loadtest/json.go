package loadtest

import (
	"encoding/json"
	"io"
	"runtime"
	"time"
)

// stageJSON is one stage for machines: the figures of the table, unrounded.
type stageJSON struct {
	Name            string   `json:"name"`
	Target          float64  `json:"target_per_s,omitempty"` // absent: the closed loop
	Clients         int      `json:"clients"`                // closed loop: at once; paced: most in progress
	Achieved        float64  `json:"achieved_per_s"`
	Held            bool     `json:"held"`
	Responses       int      `json:"responses"`
	Invitations     int      `json:"invitation_responses"`
	Errors          int      `json:"errors"`
	ThanksPages     int      `json:"thanks_pages"`
	Elapsed         float64  `json:"elapsed_s"`
	P50             float64  `json:"p50_ms"`
	P99             float64  `json:"p99_ms"`
	PostP50         float64  `json:"post_p50_ms"`
	PostP99         float64  `json:"post_p99_ms"`
	LagP99          *float64 `json:"start_lag_p99_ms,omitempty"`
	CPUPerResponse  *float64 `json:"cpu_us_per_response"` // null: unknown
	UserPerResponse *float64 `json:"cpu_user_us_per_response"`
	SysPerResponse  *float64 `json:"cpu_sys_us_per_response"`
	Commits         *int64   `json:"commits"`              // null: /metrics unreadable
	Committed       *int64   `json:"committed"`            // the committer's stored count over the stage
	PerCommit       *float64 `json:"responses_per_commit"` // null: unknown
	ScrapeErr       string   `json:"metrics_error,omitempty"`
	PeakRSSMB       float64  `json:"peak_rss_mb"`
	PeakOfStage     bool     `json:"peak_of_stage"`
	LoadStart       string   `json:"loadavg_start"`
	LoadEnd         string   `json:"loadavg_end"`
}

// benchJSON is the whole run for machines.
type benchJSON struct {
	Way             string      `json:"way"`
	Thanks          bool        `json:"follows_thanks"`
	Mix             float64     `json:"invitation_share"`
	Seed            uint64      `json:"seed"`
	CPUs            int         `json:"cpus"`
	Go              string      `json:"go"`
	FS              string      `json:"file_system"`
	LoadBefore      string      `json:"loadavg_before"`
	ServerProcess   string      `json:"server_process"`
	Stages          []stageJSON `json:"stages"`
	PeakRSSMB       float64     `json:"peak_rss_mb"`
	ServerCPU       float64     `json:"server_cpu_s"`
	Acknowledged    int         `json:"acknowledged"`
	StoredRows      int         `json:"stored_rows"`
	UsedInvitations int         `json:"used_invitations"`
	RawN            int         `json:"raw_n"`
	RawCommit       float64     `json:"raw_committer_per_s"`
	RawBulk         float64     `json:"raw_bulk_per_s"`
	Problems        []string    `json:"problems"`
	OK              bool        `json:"ok"`
}

// WriteJSON writes the run's figures as one JSON object.
func (r *BenchResult) WriteJSON(w io.Writer) error {
	all, _ := r.Acknowledged()
	probs := r.Problems()
	out := benchJSON{Way: r.Opts.way(), Thanks: !r.Opts.NoThanks && !r.Opts.API, Mix: r.Opts.Mix, Seed: r.Opts.Seed,
		CPUs: r.CPUs, Go: runtime.Version(), FS: r.FSType, LoadBefore: r.LoadBefore,
		ServerProcess: "one child process for every stage",
		PeakRSSMB:     mb(r.PeakRSS()), ServerCPU: r.ServerCPU.Seconds(), Acknowledged: all,
		StoredRows: r.StoredRows, UsedInvitations: r.UsedInvites, RawN: r.RawN, RawCommit: r.RawCommit, RawBulk: r.RawBulk,
		Problems: append([]string{}, probs...), OK: len(probs) == 0}
	for _, s := range r.Stages {
		out.Stages = append(out.Stages, s.json())
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func (s *Stage) json() stageJSON {
	h := s.HTTP
	j := stageJSON{Name: s.Name(), Target: s.Target, Clients: s.Clients, Achieved: s.Rate(), Held: s.Held(),
		Responses: h.Stored, Invitations: s.Invitations(), Errors: h.Errors, ThanksPages: h.Thanks, Elapsed: h.Elapsed.Seconds(),
		P50: msF(Quantile(h.Total, 0.5)), P99: msF(Quantile(h.Total, 0.99)),
		PostP50: msF(Quantile(h.Post, 0.5)), PostP99: msF(Quantile(h.Post, 0.99)),
		ScrapeErr: s.ScrapeErr, PeakRSSMB: mb(s.PeakRSS), PeakOfStage: s.PeakOfStage, LoadStart: s.LoadStart, LoadEnd: s.LoadEnd}
	if len(h.Lag) > 0 {
		j.LagP99 = ptr(msF(Quantile(h.Lag, 0.99)))
	}
	if per, u, sy := s.CPUPerResponse(); per > 0 {
		j.CPUPerResponse, j.UserPerResponse, j.SysPerResponse = ptr(usF(per)), ptr(usF(u)), ptr(usF(sy))
	}
	if s.Commits >= 0 {
		j.Commits, j.Committed, j.PerCommit = ptr(s.Commits), ptr(s.Committed), ptr(s.PerCommit())
	}
	return j
}

func ptr[T any](v T) *T { return &v }

func msF(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func usF(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }

func mb(b int64) float64 { return float64(b) / (1 << 20) }
