package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, env map[string]string, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := Register(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return c, c.Validate()
}

func TestFlagsOverEnvironmentOverDefaults(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "smtp")
	os.WriteFile(secret, []byte("s3cret\n"), 0o600)
	c, err := parse(t, map[string]string{"INTEGRITAS_DB": "env.db", "INTEGRITAS_ADDR": "0.0.0.0:9000",
		"INTEGRITAS_SMTP_PASSWORD_FILE": secret, "INTEGRITAS_SESSION_IDLE": "10m", "INTEGRITAS_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2"},
		"--db", "flag.db")
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "flag.db" || c.Addr != "0.0.0.0:9000" || c.SMTPPassword != "s3cret" || c.SessionIdle != 10*time.Minute {
		t.Errorf("config: %+v", c)
	}
	if strings.Join(c.TrustedProxies, "|") != "10.0.0.1|10.0.0.2" {
		t.Errorf("proxies %q", c.TrustedProxies)
	}
	if c.BaseURL != "http://0.0.0.0:9000" {
		t.Errorf("derived base URL %q", c.BaseURL)
	}
	d, _ := parse(t, nil)
	if d.DB != "integritas.db" || !d.CookieSecure || d.SMTPTLS != "starttls" || d.OpenDeviceCap != 2 || d.OpenAddressCap != 40 {
		t.Errorf("defaults: %+v", d)
	}
	tls, _ := parse(t, nil, "--tls-cert", "c.pem", "--tls-key", "k.pem", "--base-url", "https://spi.example.go.id/")
	if tls.BaseURL != "https://spi.example.go.id" {
		t.Errorf("base URL keeps its slash: %q", tls.BaseURL)
	}
}

func TestValidateNamesEveryBadSetting(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "8080"}, "--addr"},
		{[]string{"--base-url", "ftp://x"}, "--base-url"},
		{[]string{"--tls-cert", "c.pem"}, "--tls-cert and --tls-key go together"},
		{[]string{"--session-idle", "2h", "--session-max", "1h"}, "--session-idle"},
		{[]string{"--smtp-port", "70000"}, "--smtp-port"},
		{[]string{"--smtp-tls", "ssl"}, "--smtp-tls"},
		{[]string{"--mail-per-minute", "0"}, "--mail-per-minute"},
		{[]string{"--log-level", "loud"}, "--log-level"},
		{[]string{"--db", ""}, "--db"},
		{[]string{"--open-device-cap", "-1"}, "--open-device-cap"},
		{[]string{"--open-address-cap", "1000001"}, "--open-address-cap"},
		{[]string{"--open-device-cap", "5", "--open-address-cap", "3"}, "below --open-device-cap"},
	}
	for _, c := range cases {
		_, err := parse(t, nil, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
	// Several problems are reported together.
	_, err := parse(t, nil, "--addr", "x", "--log-level", "loud")
	if err == nil || !strings.Contains(err.Error(), "--addr") || !strings.Contains(err.Error(), "--log-level") {
		t.Errorf("joined errors: %v", err)
	}
}
