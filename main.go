// Command integritas runs the integrity assessment survey: the web service,
// the demo city, and the operators' commands. main only wires: see cli.go.
package main

import (
	"os"
	"time"
)

func main() {
	cl := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}
	os.Exit(cl.run(os.Args[1:]))
}
