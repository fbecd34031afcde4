package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"integritas/config"
	"integritas/survey"
)

// version is set at build time with -ldflags "-X integritas/internal/cli.version=…".
var version = "dev"

// Main runs one command line with the process's streams, environment and
// clock, and returns the exit status.
func Main(args []string) int {
	cl := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}
	return cl.run(args)
}

// cli carries the process's streams, environment and clock to commands.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
}

// command is one `integritas <name>` entry; names may have two words.
type command struct {
	name    string
	summary string
	run     func(cl *cli, ctx context.Context, args []string) error
}

// errUsage marks an error already explained with the command's usage.
var errUsage = errors.New("usage")

func (cl *cli) run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		cl.help()
		return 0
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			err := c.run(cl, ctx, args[len(words):])
			if err == nil {
				return 0
			}
			if !errors.Is(err, errUsage) && !errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(cl.stderr, "integritas %s: %v\n", c.name, err)
			}
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 1
		}
	}
	fmt.Fprintf(cl.stderr, "integritas: unknown command %q\n\n", strings.Join(args, " "))
	cl.help()
	return 2
}

func (cl *cli) help() {
	fmt.Fprintln(cl.stdout, "Usage: integritas <command> [flags]   (integritas <command> -h for its flags)\n\nCommands:")
	cmds := commands()
	sort.SliceStable(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	for _, c := range cmds {
		fmt.Fprintf(cl.stdout, "  %-22s %s\n", c.name, c.summary)
	}
}

// flags returns a flag set for a command with the shared configuration flags.
func (cl *cli) flags(name string) (*flag.FlagSet, *config.Config) {
	fs := flag.NewFlagSet("integritas "+name, flag.ContinueOnError)
	fs.SetOutput(cl.stderr)
	return fs, config.Register(fs, cl.getenv)
}

// parse parses args and validates the configuration; positional arguments
// may come before or after flags.
func (cl *cli) parse(fs *flag.FlagSet, cfg *config.Config, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	cfg.MarkExplicit(fs, cl.getenv)
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return pos, nil
}

// logger builds the process's structured JSON logger.
func (cl *cli) logger(cfg *config.Config) *slog.Logger {
	var lv slog.Level
	lv.UnmarshalText([]byte(cfg.LogLevel))
	return slog.New(slog.NewJSONHandler(cl.stderr, &slog.HandlerOptions{Level: lv}))
}

// open is the preamble every command shares: parse the flags, check the
// required ones (by flag name) and open the store. It returns the positional
// arguments too.
func (cl *cli) open(ctx context.Context, fs *flag.FlagSet, cfg *config.Config, args []string, required ...string) (*survey.Store, []string, error) {
	pos, err := cl.parse(fs, cfg, args)
	if err != nil {
		return nil, nil, err
	}
	for _, name := range required {
		if err := need(name, fs.Lookup(name).Value.String()); err != nil {
			return nil, nil, err
		}
	}
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return st, pos, nil
}

// openPeriod opens the store and loads a period by code; the caller closes
// the store.
func (cl *cli) openPeriod(ctx context.Context, cfg *config.Config, code string) (*survey.Store, *survey.Period, error) {
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	p, err := st.Period(ctx, code)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, p, nil
}

// checkLang validates a --lang flag.
func checkLang(lang string) error {
	if lang != "id" && lang != "en" {
		return fmt.Errorf("--lang: %q must be id or en", lang)
	}
	return nil
}

// openStore opens the database and applies its organisation settings to
// cfg (flags and environment still win), so every command builds the same
// links and letters as the server.
func (cl *cli) openStore(ctx context.Context, cfg *config.Config) (*survey.Store, error) {
	opts := []survey.StoreOption{survey.WithClock(cl.now), survey.WithKeyFile(cfg.KeyFile), survey.WithMinFree(uint64(cfg.MinFreeMB) << 20)}
	if cfg.SkipQuickCheck {
		opts = append(opts, survey.WithoutQuickCheck())
	}
	st, err := survey.Open(ctx, cfg.DB, opts...)
	if err != nil {
		return nil, err
	}
	org, err := st.OrgSettings(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	cfg.ApplyOrg(org.BaseURL, org.Inspectorate)
	return st, nil
}

// need returns the value of a required flag or a usage error naming it.
func need(name, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("--%s is required", name)
	}
	return nil
}
