package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"integritas/assets"
	"integritas/survey"
)

// fakeForm answers like the respondent pages, just enough for the client:
// a page with the hidden language field, a POST redirected to /thanks, and
// the thanks page with status thanks.
func fakeForm(thanks int, thanksHits *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/thanks":
			thanksHits.Add(1)
			w.WriteHeader(thanks)
		case r.URL.Path == "/api/v1/responses":
			w.WriteHeader(http.StatusCreated)
		case r.Method == http.MethodGet:
			w.Write([]byte(`<form><input type="hidden" name="_lang" value="id"></form>`))
		default:
			http.Redirect(w, r, "/thanks", http.StatusSeeOther)
		}
	})
}

func instrument(t *testing.T) *survey.Instrument {
	t.Helper()
	in, err := survey.LoadInstrument(assets.DefaultInstrument())
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestThanksFollowed: the thanks page is loaded only when asked, a failed
// one is an error although the response counts as stored.
func TestThanksFollowed(t *testing.T) {
	for name, c := range map[string]struct {
		follow            bool
		status            int
		hits, thanks, err int
	}{
		"followed":     {true, http.StatusOK, 3, 3, 0},
		"not followed": {false, http.StatusOK, 0, 0, 0},
		"thanks fails": {true, http.StatusInternalServerError, 3, 0, 3},
	} {
		t.Run(name, func(t *testing.T) {
			var hits atomic.Int64
			srv := httptest.NewServer(fakeForm(c.status, &hits))
			defer srv.Close()
			cl := NewClient(srv.URL, instrument(t), 2)
			cl.Thanks = c.follow
			l := &Load{Client: cl, Clients: 1, Jobs: func(i int) (Job, bool) {
				return Job{Kind: InviteForm, Token: "t", Seed: uint64(i)}, i < 3
			}}
			rep := l.Run(context.Background())
			if rep.Stored != 3 || int(hits.Load()) != c.hits || rep.Thanks != c.thanks || rep.Errors != c.err {
				t.Errorf("stored %d, thanks requests %d, pages %d, errors %d; want 3, %d, %d, %d",
					rep.Stored, hits.Load(), rep.Thanks, rep.Errors, c.hits, c.thanks, c.err)
			}
		})
	}
}

// TestPacedNeverFaster: arrivals follow the schedule — n = rate × duration
// of them, the last not before (n-1)/rate — and each started with its lag
// recorded. Only the lower bound on time is checked: a loaded machine can
// make a run slower, never faster.
func TestPacedNeverFaster(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(fakeForm(http.StatusOK, &hits))
	defer srv.Close()
	cl := NewClient(srv.URL, instrument(t), 8)
	p := &Paced{Client: cl, Rate: 100, Duration: 500 * time.Millisecond, MaxInFlight: 8,
		Jobs: func(i int) (Job, bool) { return Job{Kind: InviteAPI, Token: "t", Seed: uint64(i)}, true }}
	rep := p.Run(context.Background())
	if rep.Stored != 50 || rep.Errors != 0 || len(rep.Lag) != 50 || len(rep.Total) != 50 {
		t.Fatalf("stored %d, errors %d, %d lags, %d latencies; want 50, 0, 50, 50", rep.Stored, rep.Errors, len(rep.Lag), len(rep.Total))
	}
	if rep.Elapsed < 490*time.Millisecond {
		t.Errorf("50 arrivals at 100/s took %s: faster than scheduled", rep.Elapsed)
	}
}

func TestParseCommits(t *testing.T) {
	text := "# HELP integritas_committer_commits_total x\n# TYPE integritas_committer_commits_total counter\n" +
		"integritas_committer_commits_total 42\nintegritas_committer_stored_total 1.234e+03\nintegritas_committer_queued 0\n"
	got, err := parseCommits(text)
	if err != nil || got != (commitCounters{Stored: 1234, Commits: 42}) {
		t.Errorf("parseCommits = %+v, %v", got, err)
	}
	if _, err := parseCommits("integritas_committer_commits_total 1\n"); err == nil {
		t.Error("a scrape without the stored counter was accepted")
	}
}

// fakeResult is a run of one paced stage that fell short and a closed loop.
func fakeResult() *BenchResult {
	ms := func(n int) []time.Duration { return []time.Duration{time.Duration(n) * time.Millisecond} }
	paced := &Stage{Target: 600, Clients: 200, CPUKnown: true, CPUUser: 300 * time.Millisecond, CPUSys: 100 * time.Millisecond,
		Committed: 1000, Commits: 250, PeakRSS: 80 << 20, PeakOfStage: true, LoadStart: "1.00 0.50 0.20", LoadEnd: "1.80 0.70 0.30",
		HTTP: &Report{Elapsed: 2 * time.Second, Stored: 1000, ByKind: map[Kind]int{InviteForm: 400, OpenForm: 600},
			Problems: map[string]int{}, Total: ms(20), Post: ms(10), Lag: ms(3), Thanks: 1000}}
	closed := &Stage{Clients: 64, Committed: -1, Commits: -1, ScrapeErr: "scrape /metrics: status 401", LoadStart: "1.80 0.70 0.30", LoadEnd: "2.00 0.90 0.40",
		HTTP: &Report{Elapsed: time.Second, Stored: 2500, ByKind: map[Kind]int{InviteForm: 1250, OpenForm: 1250},
			Problems: map[string]int{}, Total: ms(30), Post: ms(15)}}
	return &BenchResult{Opts: BenchOptions{Clients: 64, Mix: 0.5}, CPUs: 2, Stages: []*Stage{paced, closed},
		StoredRows: 3500, UsedInvites: 1650, RawN: 2500, RawCommit: 10000, RawBulk: 20000}
}

func TestReportShowsEveryStage(t *testing.T) {
	r := fakeResult()
	if probs := r.Problems(); len(probs) != 0 {
		t.Errorf("problems of a clean run: %q", probs)
	}
	var b bytes.Buffer
	r.Print(&b)
	out := b.String()
	for _, want := range []string{
		"GET page + POST form + GET thanks page",
		"paced 600/s", "500 NOT HELD", "400", "300", "100", "250", "4.0", "80", "1.00", "1.80",
		"closed loop", "2,500", "the rate was NOT held",
		"closed loop: commits n/a, not checked against the acknowledgements: scrape /metrics: status 401",
		"3,500 responses in the database, 1,650 invitations used, over all stages   target = acknowledged: met",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var j struct {
		OK     bool
		Stages []map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &j); err != nil || !j.OK || len(j.Stages) != 2 {
		t.Fatalf("JSON: %v %+v\n%s", err, j, b.String())
	}
	if s := j.Stages[0]; s["cpu_us_per_response"] != 400.0 || s["cpu_user_us_per_response"] != 300.0 ||
		s["responses_per_commit"] != 4.0 || s["held"] != false || s["achieved_per_s"] != 500.0 {
		t.Errorf("paced stage in JSON: %v", s)
	}
	if s := j.Stages[1]; s["commits"] != nil || s["cpu_us_per_response"] != nil {
		t.Errorf("unknown figures of the closed loop are not null: %v", s)
	}

	// A stage whose acknowledgements differ from the server's commits, and
	// a database short of one response, both fail the run.
	r.Stages[0].Committed = 999
	r.StoredRows--
	if probs := r.Problems(); len(probs) != 2 {
		t.Errorf("problems: %q", probs)
	}
}
