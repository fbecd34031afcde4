package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config holds every setting an operator can change.
type Config struct {
	DB      string // SQLite database file
	KeyFile string // key file held outside the database (default: DB + ".key")
	Addr    string // listen address
	BaseURL string // public URL of the site, used in links sent to respondents

	TLSCert string // serve HTTPS directly with this certificate (else run behind a proxy)
	TLSKey  string

	// CookieSecure marks session cookies Secure. Keep it on in production;
	// browsers accept Secure cookies on http://localhost for development.
	CookieSecure   bool
	TrustedProxies []string // proxies whose X-Forwarded-For is believed
	SessionIdle    time.Duration
	SessionMax     time.Duration

	SMTPHost     string
	SMTPPort     int
	SMTPUser     string
	SMTPPassword string
	SMTPFrom     string
	SMTPTLS      string // "starttls" (default), "tls", or "none" (local relays and tests)
	MailPerMin   int    // sending rate
	MailSink     bool   // keep outgoing mail in an in-memory outbox (admins read /admin/outbox) instead of SMTP

	Inspectorate string // name signed on packets and messages
	LogLevel     string
	ShutdownWait time.Duration

	explicit map[string]bool // settings given as flags or environment (org.go)

	// MetricsToken, when set, is a bearer token that may read /metrics and
	// nothing else (for a Prometheus scraper); secret, so env or file only.
	MetricsToken string

	// SkipQuickCheck skips PRAGMA quick_check at start-up (for database
	// files so large that reading every page would delay the start).
	SkipQuickCheck bool
	// MinFreeMB is the free disk space below which packet builds and
	// drafts are refused and /healthz fails.
	MinFreeMB int

	// OpenDeviceCap and OpenAddressCap bound the open-link answers stored
	// per browser (device cookie) and per client address, per unit and
	// day; 0 turns a cap off (benchmarks).
	OpenDeviceCap  int
	OpenAddressCap int

	// envErrs are environment values that could not be used; Validate
	// reports them, naming the variable, so a typo never falls back silently.
	envErrs []error
}

// Defaults returns the configuration used when nothing is set.
func Defaults() Config {
	return Config{
		DB: "integritas.db", Addr: "127.0.0.1:8080", CookieSecure: true,
		SessionIdle: 30 * time.Minute, SessionMax: 12 * time.Hour,
		SMTPPort: 587, SMTPTLS: "starttls", MailPerMin: 60,
		Inspectorate: "Inspektorat Daerah", LogLevel: "info", ShutdownWait: 20 * time.Second,
		MinFreeMB: 64, OpenDeviceCap: 2, OpenAddressCap: 40,
	}
}

// Register adds the configuration flags to fs, with defaults taken from the
// environment (getenv) over Defaults. Call Finish after fs.Parse.
func Register(fs *flag.FlagSet, getenv func(string) string) *Config {
	c := Defaults()
	env := func(name, def string) string {
		if v := getenv("INTEGRITAS_" + name); v != "" {
			return v
		}
		if f := getenv("INTEGRITAS_" + name + "_FILE"); f != "" {
			b, err := os.ReadFile(f)
			if err != nil {
				c.envErrs = append(c.envErrs, fmt.Errorf("INTEGRITAS_%s_FILE: %w", name, err))
				return def
			}
			return strings.TrimSpace(string(b))
		}
		return def
	}
	// check records an environment value its flag's parser refuses.
	check := func(name string, parse func(string) error) string {
		v := env(name, "")
		if v == "" {
			return ""
		}
		if err := parse(v); err != nil {
			c.envErrs = append(c.envErrs, fmt.Errorf("INTEGRITAS_%s: %q: %w", name, v, err))
		}
		return v
	}
	for name, parse := range map[string]func(string) error{
		"COOKIE_SECURE":    func(v string) error { _, err := strconv.ParseBool(v); return err },
		"SKIP_QUICK_CHECK": func(v string) error { _, err := strconv.ParseBool(v); return err },
		"SMTP_PORT":        func(v string) error { _, err := strconv.Atoi(v); return err },
		"MAIL_PER_MINUTE":  func(v string) error { _, err := strconv.Atoi(v); return err },
		"MIN_FREE_MB":      func(v string) error { _, err := strconv.Atoi(v); return err },
		"OPEN_DEVICE_CAP":  func(v string) error { _, err := strconv.Atoi(v); return err },
		"OPEN_ADDRESS_CAP": func(v string) error { _, err := strconv.Atoi(v); return err },
		"SESSION_IDLE":     func(v string) error { _, err := time.ParseDuration(v); return err },
		"SESSION_MAX":      func(v string) error { _, err := time.ParseDuration(v); return err },
		"SHUTDOWN_WAIT":    func(v string) error { _, err := time.ParseDuration(v); return err },
	} {
		check(name, parse)
	}
	fs.StringVar(&c.DB, "db", env("DB", c.DB), "SQLite database file, or a postgres:// URL (INTEGRITAS_DB)")
	fs.StringVar(&c.KeyFile, "key-file", env("KEY_FILE", ""), "key file kept outside the database, created 0400 if missing; back it up apart from the database (INTEGRITAS_KEY_FILE; default DB.key)")
	fs.StringVar(&c.Addr, "addr", env("ADDR", c.Addr), "listen address (INTEGRITAS_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", env("BASE_URL", ""), "public URL of the site for links (INTEGRITAS_BASE_URL; default http://ADDR)")
	fs.StringVar(&c.TLSCert, "tls-cert", env("TLS_CERT", ""), "TLS certificate file (INTEGRITAS_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env("TLS_KEY", ""), "TLS key file (INTEGRITAS_TLS_KEY)")
	boolVar(fs, &c.CookieSecure, "cookie-secure", env("COOKIE_SECURE", "true"), "mark session cookies Secure (INTEGRITAS_COOKIE_SECURE)")
	listVar(fs, &c.TrustedProxies, "trusted-proxies", env("TRUSTED_PROXIES", ""), "comma-separated proxy addresses trusted for X-Forwarded-For (INTEGRITAS_TRUSTED_PROXIES)")
	durVar(fs, &c.SessionIdle, "session-idle", env("SESSION_IDLE", c.SessionIdle.String()), "session idle expiry (INTEGRITAS_SESSION_IDLE)")
	durVar(fs, &c.SessionMax, "session-max", env("SESSION_MAX", c.SessionMax.String()), "session absolute expiry (INTEGRITAS_SESSION_MAX)")
	fs.StringVar(&c.SMTPHost, "smtp-host", env("SMTP_HOST", ""), "SMTP server (INTEGRITAS_SMTP_HOST)")
	intVar(fs, &c.SMTPPort, "smtp-port", env("SMTP_PORT", strconv.Itoa(c.SMTPPort)), "SMTP port (INTEGRITAS_SMTP_PORT)")
	fs.StringVar(&c.SMTPUser, "smtp-user", env("SMTP_USER", ""), "SMTP user (INTEGRITAS_SMTP_USER)")
	c.SMTPPassword = env("SMTP_PASSWORD", "") // never a flag: it would show in ps
	c.MetricsToken = env("METRICS_TOKEN", "") // likewise
	fs.StringVar(&c.SMTPFrom, "smtp-from", env("SMTP_FROM", ""), "sender address (INTEGRITAS_SMTP_FROM)")
	fs.StringVar(&c.SMTPTLS, "smtp-tls", env("SMTP_TLS", c.SMTPTLS), "starttls, tls or none (INTEGRITAS_SMTP_TLS)")
	intVar(fs, &c.MailPerMin, "mail-per-minute", env("MAIL_PER_MINUTE", strconv.Itoa(c.MailPerMin)), "messages sent per minute (INTEGRITAS_MAIL_PER_MINUTE)")
	boolVar(fs, &c.MailSink, "mail-sink", env("MAIL_SINK", "false"), "keep outgoing mail in an outbox admins read at /admin/outbox, sending nothing (INTEGRITAS_MAIL_SINK)")
	fs.StringVar(&c.Inspectorate, "inspectorate", env("INSPECTORATE", c.Inspectorate), "name of the inspectorate (INTEGRITAS_INSPECTORATE)")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", c.LogLevel), "debug, info, warn or error (INTEGRITAS_LOG_LEVEL)")
	durVar(fs, &c.ShutdownWait, "shutdown-wait", env("SHUTDOWN_WAIT", c.ShutdownWait.String()), "time given to in-flight requests on shutdown (INTEGRITAS_SHUTDOWN_WAIT)")
	boolVar(fs, &c.SkipQuickCheck, "skip-quick-check", env("SKIP_QUICK_CHECK", "false"), "skip PRAGMA quick_check of the database at start-up, for very large files (INTEGRITAS_SKIP_QUICK_CHECK)")
	intVar(fs, &c.MinFreeMB, "min-free-mb", env("MIN_FREE_MB", strconv.Itoa(c.MinFreeMB)), "free disk space (MB) below which packet builds and drafts are refused and /healthz fails (INTEGRITAS_MIN_FREE_MB)")
	intVar(fs, &c.OpenDeviceCap, "open-device-cap", env("OPEN_DEVICE_CAP", strconv.Itoa(c.OpenDeviceCap)), "open-link answers stored per browser, unit and day; 0 = no cap (INTEGRITAS_OPEN_DEVICE_CAP)")
	intVar(fs, &c.OpenAddressCap, "open-address-cap", env("OPEN_ADDRESS_CAP", strconv.Itoa(c.OpenAddressCap)), "open-link answers stored per client address, unit and day; 0 = no cap (INTEGRITAS_OPEN_ADDRESS_CAP)")
	return &c
}

// Validate checks the configuration and fills derived values.
func (c *Config) Validate() error {
	errs := append([]error(nil), c.envErrs...)
	if c.DB == "" {
		errs = append(errs, errors.New("--db: a database file is required"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr: %q is not host:port", c.Addr))
	}
	if c.BaseURL == "" {
		scheme := "http"
		if c.TLSCert != "" {
			scheme = "https"
		}
		c.BaseURL = scheme + "://" + c.Addr
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("--base-url: %q is not an http(s) URL", c.BaseURL))
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together"))
	}
	if c.SessionIdle <= 0 || c.SessionMax < c.SessionIdle {
		errs = append(errs, errors.New("--session-idle must be positive and not above --session-max"))
	}
	if c.SMTPPort < 1 || c.SMTPPort > 65535 {
		errs = append(errs, fmt.Errorf("--smtp-port: %d is not a port", c.SMTPPort))
	}
	switch c.SMTPTLS {
	case "starttls", "tls", "none":
	default:
		errs = append(errs, fmt.Errorf("--smtp-tls: %q must be starttls, tls or none", c.SMTPTLS))
	}
	if c.MailPerMin < 1 || c.MailPerMin > 10000 {
		errs = append(errs, fmt.Errorf("--mail-per-minute: %d must be 1 to 10000", c.MailPerMin))
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 32 {
		errs = append(errs, errors.New("INTEGRITAS_METRICS_TOKEN: use at least 32 random characters"))
	}
	if c.MinFreeMB < 0 {
		errs = append(errs, fmt.Errorf("--min-free-mb: %d must not be negative", c.MinFreeMB))
	}
	if c.OpenDeviceCap < 0 || c.OpenDeviceCap > 1000 {
		errs = append(errs, fmt.Errorf("--open-device-cap: %d must be 0 (no cap) to 1000", c.OpenDeviceCap))
	}
	if c.OpenAddressCap < 0 || c.OpenAddressCap > 100000 {
		errs = append(errs, fmt.Errorf("--open-address-cap: %d must be 0 (no cap) to 100000", c.OpenAddressCap))
	}
	if c.OpenDeviceCap > 0 && c.OpenAddressCap > 0 && c.OpenAddressCap < c.OpenDeviceCap {
		errs = append(errs, fmt.Errorf("--open-address-cap %d is below --open-device-cap %d: every browser has an address", c.OpenAddressCap, c.OpenDeviceCap))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level: %q must be debug, info, warn or error", c.LogLevel))
	}
	return errors.Join(errs...)
}

func boolVar(fs *flag.FlagSet, p *bool, name, def, usage string) {
	v, err := strconv.ParseBool(def)
	if err != nil {
		v = true
	}
	fs.BoolVar(p, name, v, usage)
}

func intVar(fs *flag.FlagSet, p *int, name, def, usage string) {
	v, _ := strconv.Atoi(def)
	fs.IntVar(p, name, v, usage)
}

func durVar(fs *flag.FlagSet, p *time.Duration, name, def, usage string) {
	v, _ := time.ParseDuration(def)
	fs.DurationVar(p, name, v, usage)
}

func listVar(fs *flag.FlagSet, p *[]string, name, def, usage string) {
	set := func(s string) error {
		*p = nil
		for _, x := range strings.Split(s, ",") {
			if x = strings.TrimSpace(x); x != "" {
				*p = append(*p, x)
			}
		}
		return nil
	}
	set(def)
	fs.Func(name, usage, set)
}
