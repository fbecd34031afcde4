package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"integritas/internal/loadtest"
	"integritas/results"
	"integritas/survey"
)

// TestOperationsWhileServing runs the real server (a child process) with
// respondents submitting all the time, and meanwhile runs what operators
// run against the same database: `import units` (new units, changed
// population frames), `import responses` (a large paper batch), `backup`
// and `results`, several times, plus results.Compute in this process.
// Every respondent must be acknowledged, every command must succeed, each
// backup and each computation must see a consistent snapshot (an import
// whole or not at all; as many used invitations as invitation responses),
// and in the end the database holds exactly what was acknowledged and
// imported.
func TestOperationsWhileServing(t *testing.T) {
	ctx := context.Background()
	db := sqliteOnly(t, "ops.db", "backup copies the SQLite file, and the checks read it and its backups raw")
	dir := filepath.Dir(db)
	st, err := survey.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	fx, err := loadtest.Prepare(ctx, st, "OPS", 4, 20000)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	srv, err := loadtest.StartServer(ctx, loadtest.ServerConfig{Exe: exe, DB: db})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Kill()
	client := loadtest.NewClient(srv.URL, fx.Period.Instrument, 8)
	defer client.Close()

	var acked, invAcked, failed atomic.Int64
	var slowest atomic.Int64
	var firstFailure sync.Once
	mix := &loadtest.Mix{Fixture: fx, Invitation: 0.5, Seed: 3}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var next atomic.Int64
	submit := func(j loadtest.Job) {
		o := client.Do(ctx, j)
		if !o.Stored {
			failed.Add(1)
			firstFailure.Do(func() { t.Errorf("a respondent was refused during the operations: %s", o.Detail) })
			return
		}
		acked.Add(1)
		if j.Kind.Invitation() {
			invAcked.Add(1)
		}
		if d := int64(o.Total); d > slowest.Load() {
			slowest.Store(d)
		}
	}
	for g := range 8 {
		wg.Go(func() {
			for !stop.Load() {
				j, _ := mix.Job(int(next.Add(1) - 1))
				if g%2 == 1 { // half the respondents are apps on the JSON API
					j.Kind = map[loadtest.Kind]loadtest.Kind{loadtest.InviteForm: loadtest.InviteAPI, loadtest.OpenForm: loadtest.OpenAPI}[j.Kind]
				}
				submit(j)
			}
		})
	}
	waitFor := func(n int64) { // respondents keep coming between the steps
		for target := acked.Load() + n; acked.Load() < target && failed.Load() == 0; {
			time.Sleep(5 * time.Millisecond)
		}
	}

	waitFor(50)
	unitsCSV := filepath.Join(dir, "units.csv")
	os.WriteFile(unitsCSV, []byte("code,name,parent_code,head_email,internal_population,external_population,expert_population\n"+
		"U001,Unit 1 (renamed),,,777,8888,9\nN001,New unit,,,10,100,1\nN002,Second new unit,U001,,10,100,1\n"), 0o600)
	cliOK(t, "import", "units", "--db", db, "--period", "OPS", unitsCSV)

	const paper = 3000
	paperCSV := filepath.Join(dir, "paper.csv")
	var b strings.Builder
	b.WriteString("unit,type,duration_seconds,T01,SOS01,SOS02,X01\n")
	for i := range paper {
		fmt.Fprintf(&b, "U00%d,external,%d,%d,4,5,paper-%d\n", 1+i%4, 300+i, 1+i%5, i)
	}
	os.WriteFile(paperCSV, []byte(b.String()), 0o600)
	var imported atomic.Bool
	var opsWG sync.WaitGroup
	opsWG.Go(func() {
		cliOK(t, "import", "responses", "--db", db, "--period", "OPS", paperCSV)
		imported.Store(true)
	})

	prev := 0
	for round := range 3 {
		waitFor(40)
		bk := filepath.Join(dir, fmt.Sprintf("backup-%d.db", round))
		if out := cliOK(t, "backup", "--db", db, bk); !strings.Contains(out, "integritas baik") {
			t.Errorf("backup %d: %s", round, out)
		}
		checkSnapshot(t, bk, fx.Period.ID, paper)
		if out := cliOK(t, "results", "--db", db, "--period", "OPS", "--format", "csv"); !strings.Contains(out, "U001") {
			t.Errorf("results %d: %.300s", round, out)
		}
		n := computeInProcess(t, db)
		if n < prev {
			t.Errorf("results read %d responses after %d before", n, prev)
		}
		prev = n
	}
	opsWG.Wait()
	if !imported.Load() {
		t.Fatal("the paper import did not finish")
	}

	// New units take open-link answers once the server's period cache
	// (one second) has seen them.
	time.Sleep(1100 * time.Millisecond)
	for i, u := range []string{"N001", "N002"} {
		submit(loadtest.Job{Kind: loadtest.OpenForm, Period: "OPS", Unit: u, Type: survey.External, Seed: uint64(i), Addr: "192.0.2.9" + fmt.Sprint(i)})
	}
	stop.Store(true)
	wg.Wait()
	if err := srv.Stop(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	if n, line := srv.ErrorLines(); n > 0 {
		t.Errorf("the server logged %d errors, the last: %s", n, line)
	}

	ro, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	var responses, paperRows, used, pooled int
	ro.QueryRow(`SELECT count(*), count(*) FILTER (WHERE channel = 'paper') FROM responses`).Scan(&responses, &paperRows)
	ro.QueryRow(`SELECT count(*) FROM response_pool`).Scan(&pooled)
	responses += pooled // acknowledged, waiting sealed for release
	ro.QueryRow(`SELECT count(*) FROM invitations WHERE used = 1`).Scan(&used)
	if responses != int(acked.Load())+paper || paperRows != paper || used != int(invAcked.Load()) {
		t.Errorf("stored %d responses (%d paper), %d invitations used; acknowledged %d (%d by invitation) + %d paper",
			responses, paperRows, used, acked.Load(), invAcked.Load(), paper)
	}
	var pop int
	ro.QueryRow(`SELECT internal_population FROM period_units pu JOIN units u ON u.id = pu.unit_id WHERE u.code = 'U001'`).Scan(&pop)
	if pop != 777 {
		t.Errorf("U001's population frame is %d after the import, want 777", pop)
	}
	t.Logf("%d respondents acknowledged during the operations (slowest %v), %d refused", acked.Load(), time.Duration(slowest.Load()), failed.Load())
}

// cliOK runs an integritas command and fails the test unless it succeeds.
func cliOK(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, "", args...)
	if code != 0 {
		t.Errorf("integritas %s: exit %d: %s", strings.Join(args[:2], " "), code, errOut)
	}
	return out
}

// checkSnapshot opens a backup and checks that it is one consistent moment:
// the paper import wholly in or wholly out, and every used invitation with
// its response.
func checkSnapshot(t *testing.T, path string, periodID int64, paper int) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var paperRows, invResponses, used, pooled int
	db.QueryRow(`SELECT count(*) FILTER (WHERE channel = 'paper'), count(*) FILTER (WHERE channel = 'invitation') FROM responses WHERE period_id = ?`, periodID).
		Scan(&paperRows, &invResponses)
	db.QueryRow(`SELECT count(*) FROM invitations WHERE period_id = ? AND used = 1`, periodID).Scan(&used)
	// Answers not yet released wait, sealed, in the pool (their channel with them).
	db.QueryRow(`SELECT count(*) FROM response_pool WHERE period_id = ?`, periodID).Scan(&pooled)
	if paperRows != 0 && paperRows != paper {
		t.Errorf("backup %s holds %d of %d paper responses: not one moment", filepath.Base(path), paperRows, paper)
	}
	if used < invResponses || used > invResponses+pooled {
		t.Errorf("backup %s: %d invitations used, %d invitation responses and %d answers pooled", filepath.Base(path), used, invResponses, pooled)
	}
}

// computeInProcess computes the period's results on a store of its own, as
// the dashboard does, and returns how many responses it read.
func computeInProcess(t *testing.T, db string) int {
	t.Helper()
	st, err := survey.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r, err := results.Compute(context.Background(), st, "OPS", results.Options{})
	if err != nil {
		t.Fatalf("results while serving: %v", err)
	}
	return len(r.Input.Responses)
}
