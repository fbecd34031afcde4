package loadtest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"integritas/survey"
)

// BenchOptions configure a benchmark run.
type BenchOptions struct {
	Exe       string        // the integritas binary to run as the server
	Dir       string        // where the temporary databases go ("": the system's temp dir)
	Clients   int           // concurrent respondents
	Duration  time.Duration // how long to drive them, unless Responses is set
	Responses int           // stop after this many respondents
	Mix       float64       // share of invitation respondents
	Units     int
	Seed      uint64
	API       bool      // JSON API instead of page + form
	Progress  io.Writer // one line per step, or nil
}

// BenchResult is everything a benchmark measured.
type BenchResult struct {
	Opts        BenchOptions
	DBDir       string
	FSType      string // file system of the databases, where known
	CPUs        int
	LoadBefore  string // load average before the run, where known
	HTTP        *Report
	PeakRSS     int64         // the server process's peak resident memory, bytes (0: unknown)
	ServerCPU   time.Duration // the server process's CPU time, start to stop
	ServerErrs  int           // log lines at level ERROR
	LastErrLine string
	StoredRows  int // responses in the database afterwards
	UsedInvites int // invitations marked used afterwards
	RawN        int
	RawCommit   float64 // responses/s through a committer alone
	RawBulk     float64 // responses/s in bulk transactions
}

// Bench runs the whole benchmark: a fresh database, the real server as a
// child process, the respondents, a check of what was stored, and the raw
// limit of the store for the same rows.
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

	invitations := o.Responses
	if invitations <= 0 { // enough for 5,000 responses/s
		invitations = int(math.Min(o.Duration.Seconds()*5000, 500000))
	}
	invitations = int(math.Ceil(float64(invitations)*o.Mix)) + 1
	db := filepath.Join(dir, "bench.db")
	say("preparing %s: %d units, %d invitation links", db, o.Units, invitations)
	st, err := survey.Open(ctx, db)
	if err != nil {
		return nil, err
	}
	fx, err := Prepare(ctx, st, "BENCH", o.Units, invitations)
	st.Close()
	if err != nil {
		return nil, err
	}

	say("starting the server: %s serve --db %s", o.Exe, db)
	srv, err := StartServer(ctx, ServerConfig{Exe: o.Exe, DB: db})
	if err != nil {
		return nil, err
	}
	defer srv.Kill()
	client := NewClient(srv.URL, fx.Period.Instrument, o.Clients)
	defer client.Close()
	warmUp(ctx, client, fx, o.Clients)

	mix := &Mix{Fixture: fx, Invitation: o.Mix, Seed: o.Seed, Limit: o.Responses, API: o.API}
	load := &Load{Client: client, Clients: o.Clients, Jobs: mix.Job}
	if o.Responses <= 0 {
		load.Stop = o.Duration
	}
	say("driving %d respondents at once against %s", o.Clients, srv.URL)
	res.HTTP = load.Run(ctx)
	res.PeakRSS = srv.PeakRSS()
	if err := srv.Stop(30 * time.Second); err != nil {
		return nil, fmt.Errorf("loadtest: the server did not stop cleanly: %w", err)
	}
	res.ServerCPU = srv.CPU()
	res.ServerErrs, res.LastErrLine = srv.ErrorLines()

	if res.StoredRows, res.UsedInvites, err = storedCounts(ctx, db, fx.Period.ID); err != nil {
		return nil, err
	}

	res.RawN = max(res.HTTP.Stored, 1000)
	say("measuring the raw limit: the same %d responses straight into the store", res.RawN)
	if res.RawCommit, res.RawBulk, err = rawLimits(ctx, dir, o, res.RawN); err != nil {
		return nil, err
	}
	return res, nil
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
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
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

// rawLimits measures the committer alone and bulk inserts on fresh
// databases in dir, for n responses of the same mix.
func rawLimits(ctx context.Context, dir string, o BenchOptions, n int) (commit, bulk float64, err error) {
	for _, name := range []string{"raw-commit.db", "raw-bulk.db"} {
		st, err := survey.Open(ctx, filepath.Join(dir, name))
		if err != nil {
			return 0, 0, err
		}
		rate, err := rawOnce(ctx, st, o, n, name == "raw-bulk.db")
		st.Close()
		if err != nil {
			return 0, 0, err
		}
		if name == "raw-bulk.db" {
			bulk = rate
		} else {
			commit = rate
		}
	}
	return commit, bulk, nil
}

func rawOnce(ctx context.Context, st *survey.Store, o BenchOptions, n int, bulk bool) (float64, error) {
	// Bulk inserts mark no invitation, but draw the same respondents.
	fx, err := Prepare(ctx, st, "RAW", o.Units, int(math.Ceil(float64(n)*o.Mix))+1)
	if err != nil {
		return 0, err
	}
	ids, err := UnitIDs(ctx, st, fx.Period.ID)
	if err != nil {
		return 0, err
	}
	mix := &Mix{Fixture: fx, Invitation: o.Mix, Seed: o.Seed}
	subs, err := mix.Submissions(n, ids)
	if err != nil {
		return 0, err
	}
	if bulk {
		return RawBulk(ctx, st, subs, 500)
	}
	return RawCommitter(ctx, st, subs, o.Clients)
}
