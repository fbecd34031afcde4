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
	"strconv"
	"strings"
	"syscall"
	"time"

	"integritas/config"
	"integritas/internal/pgdb"
	"integritas/locale"
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

// cli carries the process's streams, environment and clock to commands,
// and the language it speaks (i18n.go).
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time

	bundle   *locale.Bundle
	lang     string  // "id" or "en"; "" until known (Indonesian)
	langSet  bool    // --lang was given: it wins over the stored setting
	langFlag *string // the running command's --lang
}

// command is one `integritas <name>` entry; names may have two words.
type command struct {
	name    string
	summary string // message id
	run     func(cl *cli, ctx context.Context, args []string) error
}

// errUsage marks an error already explained with the command's usage.
var errUsage = errors.New("usage")

func (cl *cli) run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		cl.helpLang(args)
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
				fmt.Fprintf(cl.stderr, "integritas %s: %s\n", c.name, cl.describe(err))
			}
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 1
		}
	}
	cl.helpLang(args)
	fmt.Fprintf(cl.stderr, "integritas: %s\n\n", cl.t("cli.unknown_command", "Command", strconv.Quote(strings.Join(redactArgs(args), " "))))
	cl.help()
	return 2
}

// helpLang reads `help --lang en`: help runs before any database is open.
func (cl *cli) helpLang(args []string) {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			cl.setLang(v)
		} else if (a == "--lang" || a == "-lang") && i+1 < len(args) {
			cl.setLang(args[i+1])
		}
	}
}

func (cl *cli) help() {
	fmt.Fprintln(cl.stdout, cl.t("cli.usage"))
	cmds := commands()
	sort.SliceStable(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	for _, c := range cmds {
		fmt.Fprintf(cl.stdout, "  %-22s %s\n", c.name, cl.t(c.summary))
	}
}

// flags returns a flag set for a command with the shared configuration
// flags and --lang, the language of its messages (and of what it writes).
func (cl *cli) flags(name string) (*flag.FlagSet, *config.Config) {
	fs := flag.NewFlagSet("integritas "+name, flag.ContinueOnError)
	fs.SetOutput(cl.stderr)
	cl.langFlag = fs.String("lang", "", cl.t("cli.flag.lang"))
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
	if cl.langFlag != nil {
		if err := cl.setLang(*cl.langFlag); err != nil {
			return nil, err
		}
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
		if err := cl.need(name, fs.Lookup(name).Value.String()); err != nil {
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
		return nil, nil, cl.wrap(err, "cli.period.load", "Code", code)
	}
	return st, p, nil
}

// openStore opens the database and applies its organisation settings to
// cfg (flags and environment still win), so every command builds the same
// links and letters as the server.
func (cl *cli) openStore(ctx context.Context, cfg *config.Config) (*survey.Store, error) {
	if survey.IsPostgres(cfg.DB) && cfg.KeyFile == "" {
		return nil, cl.fail("cli.db.pg_keyfile")
	}
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
	if !cl.langSet {
		cl.lang = org.Lang
	}
	return st, nil
}

// need returns a usage error naming a required flag that is empty.
func (cl *cli) need(name, v string) error {
	if strings.TrimSpace(v) == "" {
		return cl.fail("cli.flag.required", "Flag", "--"+name)
	}
	return nil
}

// redactArgs is args with the password of every database URL in them
// (--db URL or --db=URL) masked, for echoing a command line back.
func redactArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(k, "-") {
			out[i] = k + "=" + pgdb.Redact(v)
		} else {
			out[i] = pgdb.Redact(a)
		}
	}
	return out
}
