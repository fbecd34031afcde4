package loadtest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"integritas/internal/pgdb"
	"integritas/survey"
)

// BenchOptions configure a benchmark run.
type BenchOptions struct {
	Exe       string        // the integritas binary to run as the server
	Dir       string        // where the temporary databases go ("": the system's temp dir)
	Postgres  string        // a postgres:// URL: the databases are scratch databases on its server instead
	Clients   int           // concurrent respondents of the closed loop
	Duration  time.Duration // how long to drive them, unless Responses is set
	Responses int           // stop the closed loop after this many respondents
	Mix       float64       // share of invitation respondents
	Units     int
	Seed      uint64
	API       bool      // JSON API instead of page + form
	NoThanks  bool      // do not follow the form's redirect to the thanks page
	Progress  io.Writer // one line per step, or nil

	Rates        []float64     // paced stages before the closed loop, arrivals per second
	RateDuration time.Duration // how long each paced stage schedules arrivals
	PacedClients int           // bound on respondents in progress in a paced stage
}

// BenchResult is everything a benchmark measured.
type BenchResult struct {
	Opts        BenchOptions
	DBDir       string
	FSType      string // file system of the databases, where known
	CPUs        int
	LoadBefore  string        // load average before the run, where known
	Stages      []*Stage      // the paced stages in order, then the closed loop
	ServerCPU   time.Duration // the server process's CPU time, start to stop
	ServerErrs  int           // log lines at level ERROR
	LastErrLine string
	StoredRows  int // responses in the database afterwards
	UsedInvites int // invitations marked used afterwards
	RawN        int
	RawCommit   float64 // responses/s through a committer alone
	RawBulk     float64 // responses/s in bulk transactions
}

// Closed is the closed-loop stage: the maximum.
func (r *BenchResult) Closed() *Stage { return r.Stages[len(r.Stages)-1] }

// PeakRSS is the server's peak resident memory over the whole run.
func (r *BenchResult) PeakRSS() int64 {
	var p int64
	for _, s := range r.Stages {
		p = max(p, s.PeakRSS)
	}
	return p
}

// Bench runs the whole benchmark: a fresh database, the real server as a
// child process, the paced stages and the closed loop against that one
// process, a check of what was stored, and the raw limit of the store for
// the same rows.
//
// All stages share one server process and one database, as a period's
// server lives through quiet and busy hours: CPU is read from /proc deltas
// and the peak memory is reset at each stage's start, so a stage's figures
// are its own without a restart, and a restart would add start-up and
// cold caches that no respondent meets mid-period. The paced stages come
// first, lightest first, so no stage inherits the heap or backlog of a
// heavier one.
func Bench(ctx context.Context, o BenchOptions) (*BenchResult, error) {
	say := func(format string, args ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, format+"\n", args...)
		}
	}
	dir, err := os.MkdirTemp(o.Dir, "integritas-bench-")
	if err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	defer os.RemoveAll(dir)
	res := &BenchResult{Opts: o, DBDir: dir, FSType: fsType(dir), CPUs: runtime.NumCPU(), LoadBefore: loadAverage()}
	if o.Postgres != "" {
		res.DBDir = pgdb.Redact(o.Postgres)
	}

	db, key, drop, err := scratchDB(ctx, o, dir, "bench")
	if err != nil {
		return nil, err
	}
	defer drop()
	invitations := int(math.Ceil(float64(respondents(o))*o.Mix)) + 1
	say("preparing %s: %d units, %d invitation links", pgdb.Redact(db), o.Units, invitations)
	st, err := survey.Open(ctx, db, survey.WithKeyFile(key))
	if err != nil {
		return nil, err
	}
	fx, err := Prepare(ctx, st, "BENCH", o.Units, invitations)
	st.Close()
	if err != nil {
		return nil, err
	}

	token := newScrapeToken()
	say("starting the server: %s serve --db %s", o.Exe, pgdb.Redact(db))
	srv, err := StartServer(ctx, ServerConfig{Exe: o.Exe, DB: db, Args: []string{"--key-file", key}, Env: []string{"INTEGRITAS_METRICS_TOKEN=" + token}})
	if err != nil {
		return nil, err
	}
	defer srv.Kill()
	res.Stages = runStages(ctx, o, srv, fx, token, say)
	if err := srv.Stop(30 * time.Second); err != nil {
		return nil, fmt.Errorf("loadtest: the server did not stop cleanly: %w", err)
	}
	res.ServerCPU = srv.CPU()
	res.ServerErrs, res.LastErrLine = srv.ErrorLines()

	if res.StoredRows, res.UsedInvites, err = storedCounts(ctx, db, fx.Period.ID); err != nil {
		return nil, err
	}

	res.RawN = max(res.Closed().HTTP.Stored, 1000)
	say("measuring the raw limit: the same %d responses straight into the store", res.RawN)
	if res.RawCommit, res.RawBulk, err = rawLimits(ctx, dir, o, res.RawN); err != nil {
		return nil, err
	}
	return res, nil
}

// scratchDB is a fresh database for one part of the run, with its key
// file: a file in dir, or with o.Postgres a database created beside the
// one it names (its role needs CREATEDB), dropped by drop.
func scratchDB(ctx context.Context, o BenchOptions, dir, name string) (db, key string, drop func(), err error) {
	key = filepath.Join(dir, name+".key")
	if o.Postgres == "" {
		return filepath.Join(dir, name+".db"), key, func() {}, nil
	}
	u, err := url.Parse(o.Postgres)
	if err != nil {
		return "", "", nil, fmt.Errorf("loadtest: %w", err)
	}
	admin, err := pgdb.Open(o.Postgres)
	if err != nil {
		return "", "", nil, fmt.Errorf("loadtest: %w", err)
	}
	scratch := fmt.Sprintf("integritas_bench_%s_%d", strings.ReplaceAll(name, "-", "_"), time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+scratch); err != nil {
		admin.Close()
		return "", "", nil, fmt.Errorf("loadtest: create a scratch database on %s (the role needs CREATEDB): %w", pgdb.Redact(o.Postgres), err)
	}
	u.Path = "/" + scratch
	return u.String(), key, func() {
		admin.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE "+scratch+" WITH (FORCE)")
		admin.Close()
	}, nil
}

// respondents is how many the run may need: the paced stages' arrivals and
// the closed loop's limit, or enough for 5,000 responses/s.
func respondents(o BenchOptions) int {
	n := o.Responses
	if n <= 0 {
		n = int(math.Min(o.Duration.Seconds()*5000, 500000))
	}
	for _, r := range o.Rates {
		n += int(r*o.RateDuration.Seconds()+0.5) + 1
	}
	return n
}

// runStages drives the paced stages, then the closed loop. Every stage
// draws the next respondents of one Mix, so no invitation link or client
// address is used twice in the run.
func runStages(ctx context.Context, o BenchOptions, srv *ServerProcess, fx *Fixture, token string, say func(string, ...any)) []*Stage {
	mix := &Mix{Fixture: fx, Invitation: o.Mix, Seed: o.Seed, API: o.API}
	var seq atomic.Int64
	next := func(int) (Job, bool) { return mix.Job(int(seq.Add(1) - 1)) }
	var stages []*Stage

	// One client for every stage: the server takes at most 256 connections
	// from one address, and a second pool's idle connections would count
	// against the next stage's.
	client := NewClient(srv.URL, fx.Period.Instrument, max(o.Clients, o.PacedClients))
	client.Thanks = !o.NoThanks
	defer client.Close()
	warmUp(ctx, client, fx, o.Clients)
	for _, rate := range o.Rates {
		say("paced: %g respondents/s arriving for %s (at most %d in progress)", rate, o.RateDuration, o.PacedClients)
		s := &Stage{Target: rate, Clients: o.PacedClients}
		p := &Paced{Client: client, Rate: rate, Duration: o.RateDuration, MaxInFlight: o.PacedClients, Jobs: next}
		measure(ctx, srv, client, token, s, func() *Report { return p.Run(ctx) })
		stages = append(stages, s)
	}

	load := &Load{Client: client, Clients: o.Clients, Jobs: func(i int) (Job, bool) {
		if o.Responses > 0 && i >= o.Responses {
			return Job{}, false
		}
		return next(i)
	}}
	if o.Responses <= 0 {
		load.Stop = o.Duration
	}
	say("closed loop: %d respondents at once against %s", o.Clients, srv.URL)
	s := &Stage{Clients: o.Clients}
	measure(ctx, srv, client, token, s, func() *Report { return load.Run(ctx) })
	return append(stages, s)
}

// warmUp loads each questionnaire once, as the first visitors would, and
// opens the connections, so the run measures the steady state.
func warmUp(ctx context.Context, c *Client, fx *Fixture, n int) {
	done := make(chan struct{}, n)
	for i := range n {
		go func() {
			path := "/r/" + fx.Period.Code + "/" + fx.Units[i%len(fx.Units)]
			if i%2 == 1 && len(fx.Tokens) > 0 {
				path = "/s/" + fx.Tokens[len(fx.Tokens)-1].Token // the last link: used last, if ever
			}
			c.send(ctx, Job{Addr: fmt.Sprintf("192.0.2.%d", i%250)}, "GET", path, "", nil, "")
			done <- struct{}{}
		}()
	}
	for range n {
		<-done
	}
}

// storedCounts reads what the database holds after the run.
func storedCounts(ctx context.Context, path string, periodID int64) (responses, used int, err error) {
	var db *sql.DB
	if pgdb.IsURL(path) {
		db, err = pgdb.Open(path)
	} else {
		db, err = sql.Open("sqlite3", "file:"+path+"?mode=ro")
	}
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	// Acknowledged answers are in responses or still sealed in the pool.
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM responses WHERE period_id = ?1)
		+ (SELECT count(*) FROM response_pool WHERE period_id = ?1)`, periodID).Scan(&responses); err != nil {
		return 0, 0, fmt.Errorf("loadtest: count responses: %w", err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM invitations WHERE period_id = ? AND used = 1`, periodID).Scan(&used); err != nil {
		return 0, 0, fmt.Errorf("loadtest: count used invitations: %w", err)
	}
	return responses, used, nil
}
