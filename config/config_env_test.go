package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBadEnvironmentStopsStartUp: a value the flag parsers cannot read, or a
// *_FILE secret that cannot be read, used to fall back to the default in
// silence (an SMTP password of "" or a port of 0); now Validate fails and
// names the variable.
func TestBadEnvironmentStopsStartUp(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, key, value, want string
	}{
		{"port", "INTEGRITAS_SMTP_PORT", "25a", "INTEGRITAS_SMTP_PORT"},
		{"duration", "INTEGRITAS_SESSION_IDLE", "30 minutes", "INTEGRITAS_SESSION_IDLE"},
		{"bool", "INTEGRITAS_COOKIE_SECURE", "yes please", "INTEGRITAS_COOKIE_SECURE"},
		{"rate", "INTEGRITAS_MAIL_PER_MINUTE", "sixty", "INTEGRITAS_MAIL_PER_MINUTE"},
		{"missing secret", "INTEGRITAS_SMTP_PASSWORD_FILE", filepath.Join(dir, "nope"), "INTEGRITAS_SMTP_PASSWORD_FILE"},
		{"directory as secret", "INTEGRITAS_SMTP_PASSWORD_FILE", dir, "INTEGRITAS_SMTP_PASSWORD_FILE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(t, map[string]string{tc.key: tc.value})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %s", err, tc.want)
			}
		})
	}
	if _, err := parse(t, map[string]string{"INTEGRITAS_SMTP_PORT": "2525", "INTEGRITAS_SESSION_IDLE": "5m"}); err != nil {
		t.Errorf("good values refused: %v", err)
	}
}
