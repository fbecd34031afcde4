package cli

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"integritas/internal/loadtest"
	"integritas/internal/pgtest"
	"integritas/survey"
)

// TestCrashSafety runs the real server (`integritas serve`, a child
// process) on a fresh database, submits continuously from several
// goroutines — form and API, invitation links and open links, each
// submission with a unique free-text answer — and kills the server with
// SIGKILL at seeded random moments, restarting it on the same database
// each time. After a restart, every invitation whose submission got no
// answer is replayed three times at once. Then it proves from the
// database that every acknowledged response is stored exactly once,
// nothing else is stored (every stored response was acknowledged or in
// flight at a kill), and every invitation is used exactly when one of its
// submissions is stored. Acknowledged answers first wait, sealed, in the
// pool (survey/pool.go): the test counts those waiting at each kill, and
// the period's close releases them before the check.
//
// INTEGRITAS_CRASH_KILLS (default 3) and INTEGRITAS_CRASH_SEED change the run.
func TestCrashSafety(t *testing.T) {
	kills := envInt("INTEGRITAS_CRASH_KILLS", 3)
	seed := uint64(envInt("INTEGRITAS_CRASH_SEED", 8))
	t.Logf("%d kills, seed %d", kills, seed)
	ctx := context.Background()
	db := sqliteOnly(t, "crash.db", "kills the server mid-write to prove the SQLite file's durability (FULL sync, WAL); PostgreSQL's is its own")
	st, err := survey.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	fx, err := loadtest.Prepare(ctx, st, "CRASH", 3, 4000)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	led := &ledger{byMarker: map[string]*attempt{}}
	rng := rand.New(rand.NewPCG(seed, 0))
	var tokens atomic.Int64
	for round := 0; round <= kills; round++ {
		srv, err := loadtest.StartServer(ctx, loadtest.ServerConfig{Exe: exe, DB: db})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		client := loadtest.NewClient(srv.URL, fx.Period.Instrument, 16)
		replays := led.replay(ctx, client, round)
		var stop atomic.Bool
		var wg sync.WaitGroup
		for g := range 6 {
			wg.Go(func() {
				for n := 0; !stop.Load(); n++ {
					j, ok := nextJob(fx, &tokens, seed, round, g, n, "crash-r")
					if !ok {
						return
					}
					led.record(client.Do(ctx, j), round)
				}
			})
		}
		acked := led.acked()
		time.Sleep(time.Duration(300+rng.IntN(900)) * time.Millisecond)
		if round < kills {
			srv.Kill() // while the submitters are mid-request
			stop.Store(true)
			wg.Wait()
			led.pooledAtKill = append(led.pooledAtKill, countPool(t, db))
		} else {
			stop.Store(true)
			wg.Wait()
			if err := srv.Stop(30 * time.Second); err != nil {
				t.Errorf("final graceful stop: %v", err)
			}
		}
		client.Close()
		if n, line := srv.ErrorLines(); n > 0 {
			t.Errorf("round %d: the server logged %d errors, the last: %s", round, n, line)
		}
		if led.acked() == acked {
			t.Fatalf("round %d: no submission was acknowledged before the kill", round)
		}
		t.Logf("round %d: %d replays; so far %s", round, replays, led.summary())
	}
	t.Logf("answers waiting in the pool at each kill: %v", led.pooledAtKill)
	if kills > 0 && slicesMax(led.pooledAtKill) == 0 {
		t.Error("no answer was waiting in the pool at any kill: the kills did not test the pool")
	}
	led.closeAndVerify(t, db, fx)
}

// nextJob is submitter g's n-th submission in round (or on node) a: an
// invitation link (the next unused token, none left: false) or an open
// link, in turn, each with answers of its own and a unique marker.
func nextJob(fx *loadtest.Fixture, tokens *atomic.Int64, seed uint64, a, g, n int, marker string) (loadtest.Job, bool) {
	j := loadtest.Job{Kind: loadtest.Kind((g + n) % 4), Seed: answerSeed(seed, a, g, n),
		Addr: fmt.Sprintf("10.%d.%d.%d", a, g, n%250), Marker: fmt.Sprintf("%s%d-g%d-%05d", marker, a, g, n)}
	if j.Kind.Invitation() {
		k := int(tokens.Add(1) - 1)
		if k >= len(fx.Tokens) {
			return j, false
		}
		j.Token, j.Type = fx.Tokens[k].Token, fx.Tokens[k].Type
	} else {
		j.Period, j.Unit, j.Type = fx.Period.Code, fx.Units[n%len(fx.Units)], survey.External
	}
	return j, true
}

// closeAndVerify closes the fixture's period, which releases everything
// still in the pool, and checks the database (a SQLite file, or a
// PostgreSQL URL with its key file in opts) against the ledger.
func (l *ledger) closeAndVerify(t *testing.T, db string, fx *loadtest.Fixture, opts ...survey.StoreOption) {
	t.Helper()
	st, err := survey.Open(context.Background(), db, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPeriodStatus(context.Background(), fx.Period.Code, survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if n := countPool(t, db); n != 0 {
		t.Errorf("%d answers left in the pool after the close", n)
	}
	l.verify(t, db, fx)
}

// countPool counts the sealed submissions waiting in the pool of the
// database db (a SQLite file or a PostgreSQL URL).
func countPool(t *testing.T, db string) int {
	t.Helper()
	raw := pgtest.OpenRaw(t, db)
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM response_pool`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func slicesMax(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// answerSeed draws a submission's answers.
func answerSeed(seed uint64, round, g, n int) uint64 {
	return seed ^ uint64(round)<<48 ^ uint64(g)<<32 ^ uint64(n)
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// attempt is one submission as the client saw it.
type attempt struct {
	job    loadtest.Job
	round  int
	status int  // 0: no answer (in flight when the server died)
	stored bool // acknowledged
	replay bool // a replay of an unanswered invitation
}

// ledger records every attempt by its marker.
type ledger struct {
	mu           sync.Mutex
	byMarker     map[string]*attempt
	order        []*attempt
	pooledAtKill []int // sealed answers waiting in the pool after each kill
}

func (l *ledger) record(o loadtest.Outcome, round int) *attempt {
	a := &attempt{job: o.Job, round: round, status: o.Status, stored: o.Stored}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byMarker[o.Job.Marker] = a
	l.order = append(l.order, a)
	return a
}

func (l *ledger) acked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, a := range l.order {
		if a.stored {
			n++
		}
	}
	return n
}

func (l *ledger) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var acked, refused, inflight int
	for _, a := range l.order {
		switch {
		case a.stored:
			acked++
		case a.status == 0:
			inflight++
		default:
			refused++
		}
	}
	return fmt.Sprintf("%d submissions: %d acknowledged, %d refused, %d unanswered", len(l.order), acked, refused, inflight)
}

// replay sends every invitation whose submissions so far all went
// unanswered again, three times at once with new markers: exactly one may
// be stored, and only if none before it was.
func (l *ledger) replay(ctx context.Context, c *loadtest.Client, round int) int {
	l.mu.Lock()
	settled := map[string]bool{}
	var open []loadtest.Job
	for _, a := range l.order {
		if a.job.Kind.Invitation() && a.status != 0 {
			settled[a.job.Token] = true
		}
	}
	seen := map[string]bool{}
	for _, a := range l.order {
		if a.job.Kind.Invitation() && a.status == 0 && !settled[a.job.Token] && !seen[a.job.Token] {
			seen[a.job.Token] = true
			open = append(open, a.job)
		}
	}
	l.mu.Unlock()
	var wg sync.WaitGroup
	for i, j := range open {
		for k := range 3 {
			j := j
			j.Kind = []loadtest.Kind{loadtest.InviteForm, loadtest.InviteAPI}[(i+k)%2]
			j.Marker = fmt.Sprintf("replay-r%d-%d-%d", round, i, k)
			wg.Go(func() { l.record(c.Do(ctx, j), round).replay = true })
		}
	}
	wg.Wait()
	return len(open) * 3
}

// verify checks the database (a SQLite file or a PostgreSQL URL) against
// the ledger.
func (l *ledger) verify(t *testing.T, path string, fx *loadtest.Fixture) {
	t.Helper()
	db := pgtest.OpenRaw(t, path)
	for _, q := range []string{"PRAGMA integrity_check", "PRAGMA foreign_key_check"} {
		if survey.IsPostgres(path) {
			break // PostgreSQL checks its pages and keys itself
		}
		var res sql.NullString
		if err := db.QueryRow(q).Scan(&res); err != nil && err != sql.ErrNoRows {
			t.Fatal(err)
		}
		if q == "PRAGMA integrity_check" && res.String != "ok" || q == "PRAGMA foreign_key_check" && res.Valid {
			t.Errorf("%s: %s", q, res.String)
		}
	}
	stored := map[string]int{}
	rows, err := db.Query(`SELECT t.body FROM responses r JOIN text_answers t ON t.response_id = r.id AND t.item_code = ? WHERE r.period_id = ?`,
		loadtest.MarkerItem, fx.Period.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m string
		rows.Scan(&m)
		stored[m]++
	}
	rows.Close()
	var responses, invitationResponses, used, texts int
	db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE channel = 'invitation') FROM responses WHERE period_id = ?`, fx.Period.ID).Scan(&responses, &invitationResponses)
	db.QueryRow(`SELECT count(*) FROM invitations WHERE period_id = ? AND used = 1`, fx.Period.ID).Scan(&used)
	db.QueryRow(`SELECT count(*) FROM text_answers`).Scan(&texts)
	if responses != len(stored) || texts != responses {
		t.Errorf("%d responses, %d text answers, %d distinct markers: a response without its marker, or a stray row", responses, texts, len(stored))
	}
	if used != invitationResponses {
		t.Errorf("%d invitations used, %d invitation responses stored", used, invitationResponses)
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	storedPerToken := map[string]int{}
	unanswered := 0
	for m, n := range stored {
		a, ok := l.byMarker[m]
		switch {
		case !ok:
			t.Errorf("stored response %q was never sent", m)
		case n != 1:
			t.Errorf("%q is stored %d times", m, n)
		case !a.stored && a.status != 0:
			t.Errorf("%q is stored but was refused with %d", m, a.status)
		}
		if ok && a.job.Kind.Invitation() {
			storedPerToken[a.job.Token]++
		}
	}
	tokens := map[string]bool{}
	for m, a := range l.byMarker {
		if a.status == 0 {
			unanswered++
		}
		if a.stored && stored[m] != 1 {
			t.Errorf("acknowledged %q (%s, round %d) is stored %d times", m, a.job.Kind, a.round, stored[m])
		}
		if a.status >= 500 {
			t.Errorf("%q got %d", m, a.status)
		}
		if !a.stored && a.status != 0 && a.status != http.StatusGone && a.status != http.StatusConflict {
			t.Errorf("%q (%s) refused with %d: only a used invitation may be refused", m, a.job.Kind, a.status)
		}
		if a.job.Kind.Invitation() {
			tokens[a.job.Token] = true
		}
	}
	for _, tk := range fx.Tokens { // one query per token: a few thousand
		h, _ := survey.TokenHash(tk.Token)
		var u int
		if err := db.QueryRow(`SELECT used FROM invitations WHERE token_hash = ?`, h).Scan(&u); err != nil {
			t.Fatal(err)
		}
		want := 0
		if storedPerToken[tk.Token] > 0 {
			want = 1
		}
		if storedPerToken[tk.Token] > 1 {
			t.Errorf("an invitation has %d stored responses", storedPerToken[tk.Token])
		}
		if u != want {
			t.Errorf("an invitation (attempted: %v) is used=%d with %d stored responses", tokens[tk.Token], u, storedPerToken[tk.Token])
		}
	}
	if unanswered == 0 {
		t.Error("no submission was in flight at any kill: the kills proved nothing")
	}
	t.Logf("verified %d stored responses (%d through invitations) against %d submissions, %d of them unanswered at a kill",
		responses, invitationResponses, len(l.byMarker), unanswered)
}
