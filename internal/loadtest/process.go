package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ServerProcess is `integritas serve` running as a child process on
// 127.0.0.1 with a port of its own choosing: the real server, as operators
// run it.
type ServerProcess struct {
	URL string // http://127.0.0.1:PORT

	cmd     *exec.Cmd
	logDone chan struct{}

	mu        sync.Mutex
	errLines  int
	lastError string
	waited    bool
	waitErr   error
}

// ServerConfig says how to start the child.
type ServerConfig struct {
	Exe  string   // the integritas binary (os.Executable() for the running one)
	DB   string   // database file
	Args []string // more flags for serve
	Env  []string // more environment (KEY=value), e.g. a scrape token
	Log  io.Writer
}

// StartServer starts the child and waits until it accepts connections. The
// child trusts X-Forwarded-For from 127.0.0.1, so that each simulated
// respondent can come from an address of its own, as behind the reverse
// proxy of a real deployment. Environment variables INTEGRITAS_* of this
// process are not passed on: the flags and Env say everything.
func StartServer(ctx context.Context, c ServerConfig) (*ServerProcess, error) {
	args := append([]string{"serve", "--db", c.DB, "--addr", "127.0.0.1:0", "--cookie-secure=false",
		"--trusted-proxies", "127.0.0.1", "--shutdown-wait", "10s"}, c.Args...)
	cmd := exec.Command(c.Exe, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "INTEGRITAS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, c.Env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("loadtest: start %s: %w", c.Exe, err)
	}
	p := &ServerProcess{cmd: cmd, logDone: make(chan struct{})}
	ready := make(chan string, 1)
	var head bytes.Buffer // the first lines, to explain a failed start (under p.mu)
	go func() {
		started := false
		defer close(p.logDone)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			if c.Log != nil {
				c.Log.Write(append(line, '\n'))
			}
			if bytes.Contains(line, []byte(`"level":"ERROR"`)) {
				p.mu.Lock()
				p.errLines++
				p.lastError = string(line)
				p.mu.Unlock()
			}
			if !started {
				p.mu.Lock()
				if head.Len() < 4096 {
					head.Write(append(line, '\n'))
				}
				p.mu.Unlock()
				var l struct{ Msg, Addr string }
				if json.Unmarshal(line, &l) == nil && l.Msg == "serving" {
					ready <- l.Addr
					started = true
				}
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	timer := time.NewTimer(60 * time.Second)
	defer timer.Stop()
	select {
	case addr := <-ready:
		p.URL = "http://" + addr
		return p, nil
	case <-p.logDone:
		err = errors.New("the server stopped before serving")
	case <-timer.C:
		err = errors.New("the server did not start within 60 s")
	case <-ctx.Done():
		err = ctx.Err()
	}
	p.Kill()
	p.mu.Lock()
	defer p.mu.Unlock()
	return nil, fmt.Errorf("loadtest: %w:\n%s", err, head.String())
}

// Pid is the child's process id.
func (p *ServerProcess) Pid() int { return p.cmd.Process.Pid }

// ErrorLines counts the server's log lines at level ERROR so far, with the last one.
func (p *ServerProcess) ErrorLines() (int, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.errLines, p.lastError
}

// Stop asks the server to shut down (SIGTERM: in-flight requests finish,
// queued answers are committed) and waits; after timeout it is killed.
func (p *ServerProcess) Stop(timeout time.Duration) error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.logDone:
	case <-time.After(timeout):
		p.cmd.Process.Kill()
	}
	return p.wait()
}

// Kill ends the server with SIGKILL, as a power cut or the OOM killer
// would: nothing runs after it.
func (p *ServerProcess) Kill() error {
	p.cmd.Process.Kill()
	err := p.wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return nil // killed, as asked
	}
	return err
}

func (p *ServerProcess) wait() error {
	<-p.logDone
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.waited {
		p.waited, p.waitErr = true, p.cmd.Wait()
	}
	return p.waitErr
}

// CPU is the user and system CPU time the child used; valid once it ended.
func (p *ServerProcess) CPU() time.Duration {
	if st := p.cmd.ProcessState; st != nil {
		return st.UserTime() + st.SystemTime()
	}
	return 0
}
