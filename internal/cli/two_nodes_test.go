package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
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
//   - a staff session made on one node serves on the other, and an
//     address locked out of an account on one is locked out on the other;
//   - "build every packet" pressed on both nodes at once runs one build,
//     which stores each unit's packet once;
//   - with submitters on both nodes, one node is killed with SIGKILL; the
//     other keeps acknowledging answers; every acknowledged answer is
//     then stored exactly once, and nothing unacknowledged but what was
//     in flight at the kill.
func TestTwoNodesOnPostgres(t *testing.T) {
	url := postgresDB(t)
	key := keyFor(url)
	ctx := context.Background()
	st, err := survey.Open(ctx, url, survey.WithKeyFile(key))
	if err != nil {
		t.Fatal(err)
	}
	fx, err := loadtest.Prepare(ctx, st, "TWO", 3, 2000)
	if err == nil {
		_, err = st.CreateUser(ctx, survey.NewUser{Email: twoStaff, Role: survey.RoleAdmin, Password: twoPassword})
	}
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
	staffAcrossNodes(t, nodes[0].URL, nodes[1].URL)
	packetsOnceAcrossNodes(t, nodes[0].URL, nodes[1].URL, url, fx)

	// Submitters on both nodes; node 0 dies mid-request, node 1 goes on.
	var next atomic.Int64
	next.Store(1) // token 0 was the replays'
	var stop [2]atomic.Bool
	round := 1
	submit := func(node, g int) {
		for n := 0; !stop[node].Load(); n++ {
			j, ok := nextJob(fx, &next, 7, node, g, n, "two-n")
			if !ok {
				return
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

	led.closeAndVerify(t, url, fx, survey.WithKeyFile(key))
}

const (
	twoStaff    = "inspektur@two.example.go.id"
	twoPassword = "kata-sandi-dua-node-2026"
)

// staffPost posts a form to a node as a browser of the office at addr
// would, and returns the response (its body read).
func staffPost(t *testing.T, base, path, addr, cookie string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", addr)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// sessionOf is the session cookie a login response set, or "".
func sessionOf(resp *http.Response) string {
	for _, c := range resp.Cookies() {
		if strings.Contains(c.Name, "session") && c.Value != "" {
			return c.Name + "=" + c.Value
		}
	}
	return ""
}

// staffAcrossNodes signs in on node a and uses the session on node b;
// then wrong passwords from one address on a lock that address out of the
// account on b too, while the owner's own address still signs in there.
func staffAcrossNodes(t *testing.T, a, b string) {
	t.Helper()
	const office, attacker = "198.51.100.7", "203.0.113.9"
	resp, body := staffPost(t, a, "/login", office, "", url.Values{"email": {twoStaff}, "password": {twoPassword}})
	cookie := sessionOf(resp)
	if cookie == "" {
		t.Fatalf("login on node 0: %d %.200s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest("GET", b+"/inspectorate", nil)
	req.Header.Set("Cookie", cookie)
	req.Header.Set("X-Forwarded-For", office)
	got, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got.Body.Close()
	if got.StatusCode != http.StatusOK {
		t.Errorf("the session made on node 0, on node 1: %d (%s)", got.StatusCode, got.Header.Get("Location"))
	}
	for range 12 {
		staffPost(t, a, "/login", attacker, "", url.Values{"email": {twoStaff}, "password": {"tebakan-salah"}})
	}
	if resp, _ := staffPost(t, b, "/login", attacker, "", url.Values{"email": {twoStaff}, "password": {twoPassword}}); sessionOf(resp) != "" {
		t.Errorf("the address locked out on node 0 signed in on node 1 (%d)", resp.StatusCode)
	}
	if resp, body := staffPost(t, b, "/login", office, "", url.Values{"email": {twoStaff}, "password": {twoPassword}}); sessionOf(resp) == "" {
		t.Errorf("the owner's own address on node 1: %d %.200s", resp.StatusCode, body)
	}
}

// packetsOnceAcrossNodes presses "build every packet" on both nodes at
// once: one build starts, the other is refused, and each unit's packet
// is stored once.
func packetsOnceAcrossNodes(t *testing.T, a, b, db string, fx *loadtest.Fixture) {
	t.Helper()
	const office = "198.51.100.7"
	var cookies [2]string
	for i, base := range []string{a, b} {
		resp, body := staffPost(t, base, "/login", office, "", url.Values{"email": {twoStaff}, "password": {twoPassword}})
		if cookies[i] = sessionOf(resp); cookies[i] == "" {
			t.Fatalf("login on node %d: %d %.200s", i, resp.StatusCode, body)
		}
	}
	var codes [2]int
	var wg sync.WaitGroup
	for i, base := range []string{a, b} {
		wg.Go(func() {
			resp, _ := staffPost(t, base, "/inspectorate/"+fx.Period.Code+"/packets/build", office, cookies[i], url.Values{"lang": {"id"}})
			codes[i] = resp.StatusCode
		})
	}
	wg.Wait()
	raw := pgtest.OpenRaw(t, db)
	var jobs, built, expected int
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		raw.QueryRow(`SELECT count(*) FROM packet_jobs`).Scan(&jobs)
		raw.QueryRow(`SELECT count(*) FROM packet_builds`).Scan(&built)
		raw.QueryRow(`SELECT count(*) FROM packet_job_units`).Scan(&expected)
		var running int
		raw.QueryRow(`SELECT count(*) FROM packet_jobs WHERE status = 'running'`).Scan(&running)
		if running == 0 && jobs > 0 {
			break
		}
	}
	var status string
	raw.QueryRow(`SELECT status FROM packet_jobs`).Scan(&status)
	t.Logf("build pressed on both nodes: %v; %d build %s, %d packets for %d units", codes, jobs, status, built, expected)
	if jobs != 1 || status != survey.JobDone || built != expected || expected != len(fx.Units) {
		t.Errorf("build pressed on both nodes (%v): %d jobs, %s, %d packets stored for %d units", codes, jobs, status, built, expected)
	}
	if codes != [2]int{http.StatusSeeOther, http.StatusConflict} && codes != [2]int{http.StatusConflict, http.StatusSeeOther} {
		t.Errorf("the two presses answered %v, want one build started and one refused", codes)
	}
}
