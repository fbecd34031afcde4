package server

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"integritas/assets"
	"integritas/survey"
)

// localeKeys reads every locales/*.<lang>.json into one set per language.
func localeKeys(t *testing.T) map[string]map[string]bool {
	t.Helper()
	files, err := fs.Glob(assets.FS, "locales/*.json")
	must(t, err)
	out := map[string]map[string]bool{"id": {}, "en": {}}
	for _, f := range files {
		parts := strings.Split(f, ".")
		lang := parts[len(parts)-2]
		b, err := fs.ReadFile(assets.FS, f)
		must(t, err)
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k := range m {
			out[lang][k] = true
		}
	}
	return out
}

// TestLocalesComplete: every message exists in Indonesian and English, and
// every message id the templates and handlers use exists.
func TestLocalesComplete(t *testing.T) {
	keys := localeKeys(t)
	for _, pair := range [][2]string{{"id", "en"}, {"en", "id"}} {
		var missing []string
		for k := range keys[pair[0]] {
			if !keys[pair[1]][k] {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("in %s but not in %s: %v", pair[0], pair[1], missing)
		}
	}
	used := map[string]bool{}
	literal := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	files, _ := fs.Glob(assets.FS, "templates/*/*.html")
	layout, _ := fs.Glob(assets.FS, "templates/*.html")
	for _, f := range append(files, layout...) {
		b, _ := fs.ReadFile(assets.FS, f)
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	// Message ids written as literals in the accounts and admin handlers.
	goLiteral := regexp.MustCompile(`"((?:admin|auth|audit)\.[a-z0-9_.]*[a-z0-9_])"`)
	srcs, _ := filepath.Glob("*.go")
	for _, f := range srcs {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		must(t, err)
		for _, m := range goLiteral.FindAllStringSubmatch(string(b), -1) {
			if m[1] != "audit.export" && m[1] != "auth.login" && m[1] != "auth.logout" && m[1] != "auth.login_failed" { // audit actions
				used[m[1]] = true
			}
		}
	}
	// Ids built at run time by the accounts and admin handlers.
	for _, r := range survey.Roles {
		used["role."+r], used["role."+r+".about"] = true, true
	}
	for _, st := range []string{survey.StatusDraft, survey.StatusOpen, survey.StatusClosed} {
		used["admin.status."+st] = true
	}
	for _, ty := range survey.Types {
		used["admin.unit.pop."+ty] = true
	}
	for _, id := range []string{"admin.account.email.invalid", "admin.account.email.taken", "admin.account.email.disabled",
		"admin.account.role.invalid", "admin.account.name.too_long", "admin.account.password.too_short",
		"admin.account.password.too_long", "admin.account.units.viewer_only", "admin.account.units.unknown",
		"admin.users.done.created", "admin.user.done.updated", "admin.user.done.password", "admin.user.done.disabled",
		"admin.user.done.enabled", "admin.periods.done.created", "admin.periods.done.opened", "admin.periods.done.closed",
		"admin.units.done.imported", "admin.units.done.updated", "auth.login.missing", "auth.login.failed", "auth.login.locked",
		"error.unauthorized.title", "error.unauthorized.body"} {
		used[id] = true
	}
	for id := range used {
		for _, lang := range []string{"id", "en"} {
			if !keys[lang][id] {
				t.Errorf("message %q is used but missing in %s", id, lang)
			}
		}
	}
}
