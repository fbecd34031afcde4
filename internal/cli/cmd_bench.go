package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"integritas/internal/loadtest"
)

// benchUsage explains what `integritas bench` measures.
const benchUsage = `Measures the server under load on this machine. It creates a fresh database
in a temporary directory, starts this binary as "integritas serve" on
127.0.0.1 (a child process: the real server), and drives --clients
concurrent respondents through it: each loads the questionnaire and posts
every answer, on an invitation link or a unit's open link (--mix), from an
address of its own. Then it checks that the database holds exactly the
acknowledged responses, and measures the raw limit: the same rows written
straight into the store on the same disk. Nothing else should run meanwhile;
on a shared machine the figures are noisy (the load average is printed).`

func cmdBench(cl *cli, ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("integritas bench", flag.ContinueOnError)
	fs.SetOutput(cl.stderr)
	o := loadtest.BenchOptions{}
	fs.IntVar(&o.Clients, "clients", 64, "concurrent respondents")
	fs.DurationVar(&o.Duration, "duration", 20*time.Second, "how long to drive them")
	fs.IntVar(&o.Responses, "responses", 0, "stop after this many respondents instead (overrides --duration)")
	fs.Float64Var(&o.Mix, "mix", 0.5, "share of respondents on invitation links; the rest use open links")
	fs.IntVar(&o.Units, "units", 30, "units (OPD) in the benchmark period")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the respondents' answers")
	fs.BoolVar(&o.API, "api", false, "post JSON to /api/v1/responses instead of loading the page and posting the form")
	fs.StringVar(&o.Dir, "dir", "", "directory for the temporary databases (default: the system's; use the disk you deploy on)")
	short := fs.Bool("short", false, "a quick check: 400 respondents (CI)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: integritas bench [--clients 64] [--duration 20s | --responses N] [--mix 0.5] [--short]\n\n%s\n\nFlags:\n", benchUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *short && o.Responses == 0 {
		o.Responses = 400
	}
	switch {
	case o.Clients < 1 || o.Clients > 4096:
		return errors.New("--clients must be 1 to 4096")
	case o.Mix < 0 || o.Mix > 1:
		return errors.New("--mix must be between 0 and 1")
	case o.Responses < 0 || o.Responses == 0 && o.Duration <= 0:
		return errors.New("--responses must be positive, or --duration set")
	case o.Units < 1 || o.Units > 10000:
		return errors.New("--units must be 1 to 10000")
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this binary to run as the server: %w", err)
	}
	o.Exe, o.Progress = exe, cl.stdout
	res, err := loadtest.Bench(ctx, o)
	if err != nil {
		return err
	}
	res.Print(cl.stdout)
	if probs := res.Problems(); len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}
