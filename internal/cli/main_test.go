package cli

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary act as the integritas binary: run with a
// command as its first argument (e.g. "serve --db …"), it is the command
// line tool, so the bench and crash tests can start the real server as a
// child process without building anything.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && !strings.HasPrefix(os.Args[1], "-") {
		cl := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}
		os.Exit(cl.run(os.Args[1:]))
	}
	os.Exit(m.Run())
}
