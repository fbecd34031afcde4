package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"integritas/internal/loadtest"
)

// benchUsage explains what `integritas bench` measures.
const benchUsage = `Measures the server under load on this machine. It creates a fresh database
in a temporary directory, starts this binary as "integritas serve" on
127.0.0.1 (a child process: the real server), and drives respondents
through it: each loads the questionnaire, posts every answer and loads the
thanks page it is sent to, on an invitation link or a unit's open link
(--mix), from an address of its own. First come paced stages (--rates):
respondents arrive at a fixed rate whatever the server's speed, as people
do; then the closed loop: --clients respondents at once, each starting when
the last finished, which finds the maximum. All stages run against the same
server process. For each stage it prints the achieved rate, latency,
errors, the server's CPU per response (user and system), its group commits,
its peak memory and the load average. Then it checks that the database
holds exactly the responses acknowledged over all stages, and measures the
raw limit: the same rows written straight into the store on the same disk.
Nothing else should run meanwhile; on a shared machine the figures are
noisy (the load average is printed).`

func cmdBench(cl *cli, ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("integritas bench", flag.ContinueOnError)
	fs.SetOutput(cl.stderr)
	o := loadtest.BenchOptions{}
	fs.IntVar(&o.Clients, "clients", 64, "concurrent respondents of the closed loop")
	fs.DurationVar(&o.Duration, "duration", 20*time.Second, "how long to run the closed loop")
	fs.IntVar(&o.Responses, "responses", 0, "stop the closed loop after this many respondents instead (overrides --duration)")
	rates := fs.String("rates", "150,300,600", "paced stages before the closed loop: arrivals per second, comma-separated (\"\": none)")
	fs.DurationVar(&o.RateDuration, "rate-duration", 10*time.Second, "how long each paced stage lasts")
	fs.IntVar(&o.PacedClients, "paced-clients", 200, "most respondents in progress at once in a paced stage (the server takes 256 connections per address)")
	fs.BoolVar(&o.NoThanks, "no-thanks", false, "do not load the thanks page after the form, for comparison with earlier runs")
	fs.Float64Var(&o.Mix, "mix", 0.5, "share of respondents on invitation links; the rest use open links")
	fs.IntVar(&o.Units, "units", 30, "units (OPD) in the benchmark period")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the respondents' answers")
	fs.BoolVar(&o.API, "api", false, "post JSON to /api/v1/responses instead of loading the page and posting the form")
	fs.StringVar(&o.Dir, "dir", "", "directory for the temporary databases (default: the system's; use the disk you deploy on)")
	fs.StringVar(&o.Postgres, "db", "", "a postgres:// URL: run on scratch databases created (and dropped) on that PostgreSQL server instead of SQLite files; its role needs CREATEDB")
	asJSON := fs.Bool("json", false, "print the figures as JSON on stdout (progress goes to stderr)")
	short := fs.Bool("short", false, "a quick check: one paced stage of 2 s at 50/s, then 400 respondents (CI)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: integritas bench [--rates 150,300,600] [--rate-duration 10s] [--clients 64] [--duration 20s | --responses N] [--json] [--short]\n\n%s\n\nFlags:\n", benchUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *short {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["responses"] {
			o.Responses = 400
		}
		if !set["rates"] {
			*rates = "50"
		}
		if !set["rate-duration"] {
			o.RateDuration = 2 * time.Second
		}
	}
	var err error
	if o.Rates, err = parseRates(*rates); err != nil {
		return err
	}
	switch {
	case o.Clients < 1 || o.Clients > 250:
		// More would pass the server's 256 connections per address, and it
		// would refuse the rest: errors of the bench, not of the server.
		return errors.New("--clients must be 1 to 250 (the server takes 256 connections per address)")
	case o.Mix < 0 || o.Mix > 1:
		return errors.New("--mix must be between 0 and 1")
	case o.Responses < 0 || o.Responses == 0 && o.Duration <= 0:
		return errors.New("--responses must be positive, or --duration set")
	case o.Units < 1 || o.Units > 10000:
		return errors.New("--units must be 1 to 10000")
	case len(o.Rates) > 0 && (o.RateDuration <= 0 || o.RateDuration > time.Hour):
		return errors.New("--rate-duration must be positive, at most 1h")
	case o.PacedClients < 1 || o.PacedClients > 250:
		return errors.New("--paced-clients must be 1 to 250")
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this binary to run as the server: %w", err)
	}
	var out io.Writer = cl.stdout
	o.Exe, o.Progress = exe, cl.stdout
	if *asJSON {
		o.Progress = cl.stderr // stdout carries the JSON alone
	}
	res, err := loadtest.Bench(ctx, o)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := res.WriteJSON(out); err != nil {
			return err
		}
	} else {
		res.Print(out)
	}
	if probs := res.Problems(); len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}

// parseRates reads --rates: positive arrivals per second, comma-separated.
func parseRates(s string) ([]float64, error) {
	var out []float64
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		r, err := strconv.ParseFloat(f, 64)
		if err != nil || r <= 0 || r > 100000 {
			return nil, fmt.Errorf("--rates: %q is not a rate between 0 and 100000 per second", f)
		}
		out = append(out, r)
	}
	return out, nil
}
