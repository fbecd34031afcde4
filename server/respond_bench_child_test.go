package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"integritas/config"
	"integritas/internal/procs"
	"integritas/survey"
)

// The respond benchmarks run the server in a child process (this test
// binary again, see TestMain) so that its CPU time and memory are its own,
// not shared with the load generator's.

// benchServerEnv names the database the child serves.
const benchServerEnv = "INTEGRITAS_BENCH_SERVER"

// benchReport is what the child reports when its stdin closes: its CPU
// time and peak memory since the parent said "start", and its committer's
// counters.
type benchReport struct {
	CPU   time.Duration
	RSS   int64
	Stats survey.CommitterStats
}

// benchServerChild serves db on 127.0.0.1 until stdin closes: it prints
// its address, takes "start" as the moment to measure from, and prints a
// benchReport at the end. BENCH_SERVER_CPUPROFILE=file profiles it.
func benchServerChild(db string) {
	ctx := context.Background()
	// The garbage collector and the processors as `integritas serve`
	// sets them (cli.tuneGC, procs.Govern).
	procs.Govern(ctx, os.Getenv)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
	}
	st, err := survey.Open(ctx, db) // the pool as shipped: released in batches once 2k wait
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	cfg := config.Defaults()
	cfg.CookieSecure = false
	cfg.OpenAddressCap = 0 // the load generator is one address; a city is many
	srv, err := New(Options{Store: st, Config: cfg, OpenLinkLimit: RateLimit{PerMinute: -1}})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	fmt.Println("http://" + ln.Addr().String())
	in := bufio.NewReader(os.Stdin)
	in.ReadString('\n') // "start"
	cpu0 := cpuTime()
	if f := os.Getenv("BENCH_SERVER_CPUPROFILE"); f != "" { // the server's own profile
		if out, err := os.Create(f); err == nil {
			pprof.StartCPUProfile(out)
			defer out.Close()
		}
	}
	io.Copy(io.Discard, in)
	pprof.StopCPUProfile()
	rep := benchReport{CPU: cpuTime() - cpu0, RSS: peakRSS(), Stats: srv.Committer().Stats()}
	hs.Close()
	srv.Close()
	st.Close()
	json.NewEncoder(os.Stdout).Encode(rep)
}

// benchChild is the parent's handle on the child server.
type benchChild struct {
	URL   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
}

// startBenchServer starts a child serving db and waits for its address.
func startBenchServer(b *testing.B, db string) *benchChild {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchServerEnv+"="+db)
	cmd.Stderr = io.Discard // one log line per request
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	c := &benchChild{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
	line, err := c.out.ReadString('\n')
	if line = strings.TrimSpace(line); err != nil || !strings.HasPrefix(line, "http://") {
		stdin.Close()
		cmd.Wait()
		b.Fatalf("bench server: %q %v", line, err)
	}
	c.URL = line
	return c
}

// start marks the beginning of the measured run.
func (c *benchChild) start() { io.WriteString(c.stdin, "start\n") }

// finish stops the child and returns its report.
func (c *benchChild) finish(b *testing.B) benchReport {
	c.stdin.Close()
	var rep benchReport
	err := json.NewDecoder(c.out).Decode(&rep)
	c.cmd.Wait()
	if err != nil {
		b.Fatalf("bench server report: %v", err)
	}
	return rep
}
