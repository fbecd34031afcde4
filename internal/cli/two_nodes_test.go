package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"integritas/internal/loadtest"
	"integritas/internal/pgtest"
	"integritas/survey"
)

// TestTwoNodesOnPostgres runs two real servers (`integritas serve`, child
// processes) on one PostgreSQL database, as behind a load balancer:
//
//   - 50 concurrent submissions of one invitation, spread over both
//     nodes, store exactly one answer;
//   - with submitters on both nodes, one node is killed with SIGKILL; the
//     other keeps acknowledging answers; every acknowledged answer is
//     then stored exactly once, and nothing unacknowledged but what was
//     in flight at the kill.
func TestTwoNodesOnPostgres(t *testing.T) {
	url := pgtest.Database(t)
	key := filepath.Join(t.TempDir(), "two.key")
	ctx := context.Background()
	st, err := survey.Open(ctx, url, survey.WithKeyFile(key))
	if err != nil {
		t.Fatal(err)
	}
	fx, err := loadtest.Prepare(ctx, st, "TWO", 3, 2000)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var nodes [2]*loadtest.ServerProcess
	var clients [2]*loadtest.Client
	for i := range nodes {
		if nodes[i], err = loadtest.StartServer(ctx, loadtest.ServerConfig{Exe: exe, DB: url, Args: []string{"--key-file", key}}); err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		clients[i] = loadtest.NewClient(nodes[i].URL, fx.Period.Instrument, 16)
		defer clients[i].Close()
	}
	defer func() {
		for _, n := range nodes {
			n.Kill()
		}
	}()

	// One token, 50 times at once, half through each node.
	led := &ledger{byMarker: map[string]*attempt{}}
	tok := fx.Tokens[0]
	var wg sync.WaitGroup
	for i := range 50 {
		j := loadtest.Job{Kind: []loadtest.Kind{loadtest.InviteForm, loadtest.InviteAPI}[i%2], Token: tok.Token, Type: tok.Type,
			Seed: uint64(i), Addr: fmt.Sprintf("10.9.0.%d", i), Marker: fmt.Sprintf("replay-%02d", i)}
		wg.Go(func() { led.record(clients[i%2].Do(ctx, j), 0) })
	}
	wg.Wait()
	acked, statuses := 0, map[int]int{}
	for _, a := range led.order {
		statuses[a.status]++
		if a.stored {
			acked++
		}
	}
	if acked != 1 {
		t.Fatalf("50 replays of one token over two nodes: %d acknowledged (statuses %v), want 1", acked, statuses)
	}
	t.Logf("50 replays of one token over two nodes: statuses %v", statuses)

	// Submitters on both nodes; node 0 dies mid-request, node 1 goes on.
	var next atomic.Int64
	next.Store(1)
	var stop [2]atomic.Bool
	round := 1
	submit := func(node, g int) {
		for n := 0; !stop[node].Load(); n++ {
			j := loadtest.Job{Kind: loadtest.Kind((g + n) % 4), Seed: answerSeed(7, node, g, n),
				Addr: fmt.Sprintf("10.%d.%d.%d", node, g, n%250), Marker: fmt.Sprintf("two-n%d-g%d-%05d", node, g, n)}
			if j.Kind.Invitation() {
				k := int(next.Add(1) - 1)
				if k >= len(fx.Tokens) {
					return
				}
				j.Token, j.Type = fx.Tokens[k].Token, fx.Tokens[k].Type
			} else {
				j.Period, j.Unit, j.Type = fx.Period.Code, fx.Units[n%len(fx.Units)], survey.External
			}
			led.record(clients[node].Do(ctx, j), round)
		}
	}
	var subs [2]sync.WaitGroup
	for node := range 2 {
		for g := range 3 {
			subs[node].Go(func() { submit(node, g) })
		}
	}
	time.Sleep(1500 * time.Millisecond)
	before := led.acked()
	nodes[0].Kill()
	stop[0].Store(true)
	subs[0].Wait()
	afterKill := led.acked()
	time.Sleep(1500 * time.Millisecond)
	stop[1].Store(true)
	subs[1].Wait()
	survivorAcked := led.acked() - afterKill
	if survivorAcked < 10 {
		t.Errorf("after node 0 was killed, node 1 acknowledged %d answers in 1.5 s", survivorAcked)
	}
	if err := nodes[1].Stop(30 * time.Second); err != nil {
		t.Errorf("graceful stop of node 1: %v", err)
	}
	if n, line := nodes[1].ErrorLines(); n > 0 {
		t.Errorf("node 1 logged %d errors, the last: %s", n, line)
	}
	t.Logf("%d acknowledged before the kill, %d by node 1 after it; %s", before, survivorAcked, led.summary())

	// Close the period (which releases the pool) and check every answer.
	if st, err = survey.Open(ctx, url, survey.WithKeyFile(key)); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPeriodStatus(ctx, fx.Period.Code, survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if n := countPool(t, url); n != 0 {
		t.Errorf("%d answers left in the pool after the close", n)
	}
	led.verify(t, url, fx)
}
