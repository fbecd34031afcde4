package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"integritas/assets"
	"integritas/config"
	"integritas/internal/testdeps"
	"integritas/survey"
)

// storageEnv is newTestEnv on a database file at a chosen path, so a test
// can put it on a small tmpfs or corrupt it between runs. close stops the
// HTTP server, the committer and the store, in that order.
func storageEnv(t *testing.T, path string, opts ...survey.StoreOption) (*testEnv, func()) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st, err := survey.Open(ctx, path, append([]survey.StoreOption{survey.WithClock(clock), survey.WithPoolRelease(1)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Period(ctx, "SPI-T")
	if err != nil {
		if p, err = st.CreatePeriod(ctx, survey.NewPeriod{Code: "SPI-T", Name: "SPI Test", Instrument: assets.DefaultInstrument()}); err != nil {
			t.Fatal(err)
		}
		units := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
			"DINKES,Dinas Kesehatan,,kadinkes@example.go.id,120,5000,10\n"
		if _, err := st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(units)); err != nil {
			t.Fatal(err)
		}
		if err := st.SetPeriodStatus(ctx, p.Code, survey.StatusOpen); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Defaults()
	cfg.CookieSecure = false
	cfg.BaseURL = "http://integritas.test"
	srv, err := New(Options{Store: st, Config: cfg, Now: clock})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	closed := false
	stop := func() {
		if !closed {
			closed = true
			hs.Close()
			srv.Close()
			st.Close()
		}
	}
	t.Cleanup(stop)
	return &testEnv{t: t, store: st, srv: srv, http: hs, period: p, now: now}, stop
}

// corruptPages overwrites pages first..last of a closed SQLite file with
// garbage, as a failing disk or a stray write would.
func corruptPages(t *testing.T, path string, first, last int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := []byte(strings.Repeat("\xa5corrupt", 4096/8))
	for pg := first; pg <= last; pg++ {
		if _, err := f.WriteAt(junk, int64(pg-1)*4096); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCorruptDatabase: with three pages overwritten, the old server started,
// said ok on /healthz and kept taking answers into the malformed file. Now
// start-up refuses the file (quick_check); started without the check, the
// first request that meets a bad page answers 503, /healthz fails, and no
// write is accepted after that.
func TestCorruptDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	e, stop := storageEnv(t, path)
	vis, later := e.visitOpen("/r/SPI-T/DINKES"), e.visitOpen("/r/SPI-T/DINKES")
	if code, _, _ := e.do("POST", "/r/SPI-T/DINKES", vis.body(valid()), vis.header(nil)); code != http.StatusOK {
		t.Fatalf("healthy submit: %d", code)
	}
	stop()
	corruptPages(t, path, 2, 4)

	_, err := survey.Open(context.Background(), path)
	if !survey.Corrupt(err) || !strings.Contains(err.Error(), "quick_check") {
		t.Fatalf("open of a corrupt file: %v", err)
	}

	st, err := survey.Open(context.Background(), path, survey.WithoutQuickCheck())
	if err != nil {
		t.Skipf("the corruption broke even the unchecked open: %v", err)
	}
	srv, err := New(Options{Store: st, Config: config.Defaults()})
	if err != nil {
		st.Close()
		t.Skipf("the corruption broke the server's start: %v", err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer func() { hs.Close(); srv.Close(); st.Close() }()
	b := &testEnv{t: t, store: st, srv: srv, http: hs}
	code, page, h := b.do("POST", "/r/SPI-T/DINKES", later.body(valid()), later.header(nil)) // a form signed before: the key file is the same
	if code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" {
		t.Errorf("answer into a corrupt file: %d (Retry-After %q) %.200s", code, h.Get("Retry-After"), page)
	}
	code, body, _ := b.do("GET", "/healthz", "", nil)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"corrupt":true`) {
		t.Errorf("healthz on a corrupt file: %d %s", code, body)
	}
	if code, _, _ := b.do("POST", "/login", "email=a%40b.c&password=x", nil); code != http.StatusServiceUnavailable {
		t.Errorf("a write after corruption was seen: %d, want 503", code)
	}
}

// mountTmpfs mounts a tmpfs of size bytes on a fresh directory, or skips
// (fails in CI) when this process may not mount.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		testdeps.Missing(t, "permission to mount a tmpfs ("+strings.TrimSpace(string(out))+")", "run the test as root, as CI does")
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fill writes a file on dir until the disk is full and returns its path.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			return path
		}
	}
}

// TestDiskFull runs the server on a real 4 MiB tmpfs (not a simulated
// SQLITE_FULL) and fills the disk: a respondent's answers get 503 with
// Retry-After and the same form, filled in, saying they are not saved yet;
// /healthz fails; drafts are refused. Once space is freed the same answers
// are stored, exactly once. The old code answered a generic 500 page.
func TestDiskFull(t *testing.T) {
	dir := mountTmpfs(t, "4m")
	e, _ := storageEnv(t, filepath.Join(dir, "full.db"), survey.WithMinFree(256<<10))
	iss, err := e.store.CreateInvitations(context.Background(), e.period.ID, []survey.NewInvitation{{UnitCode: "DINKES", Type: survey.Internal}})
	if err != nil {
		t.Fatal(err)
	}
	if code, body, _ := e.do("GET", "/healthz", "", nil); code != http.StatusOK {
		t.Fatalf("healthz before: %d %s %v", code, body, e.store.Health(context.Background()).Err)
	}
	insp := e.loginAs("inspector")
	filler := fill(t, dir)

	vis := e.visitOpen("/r/SPI-T/DINKES")
	answers := vis.body(valid("X01", "Antrean-lebih-tertib-sekali"))
	code, page, h := e.do("POST", "/r/SPI-T/DINKES", answers, vis.header(nil))
	if code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" {
		t.Fatalf("submit on a full disk: %d (Retry-After %q) %.300s", code, h.Get("Retry-After"), page)
	}
	for _, want := range []string{"belum tersimpan", "tekan Kirim lagi dalam beberapa menit", `name="T01" value="4" checked`, "Antrean-lebih-tertib-sekali"} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	if code, body, _ := e.do("GET", "/healthz", "", nil); code != http.StatusServiceUnavailable || !strings.Contains(body, `"disk":"low"`) {
		t.Errorf("healthz on a full disk: %d %s", code, body)
	}
	code, page, _ = e.do("POST", "/s/"+iss[0].Token, valid("_action", "save"), nil)
	if code != http.StatusServiceUnavailable || !strings.Contains(page, "belum tersimpan") {
		t.Errorf("draft on a full disk: %d %.200s", code, page)
	}

	if code, _, h := e.do("POST", "/inspectorate/SPI-T/packets/build", form("lang", "id"), insp); code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" {
		t.Errorf("packet build on a full disk: %d", code)
	}

	os.Remove(filler)
	if code, _, _ := e.do("POST", "/r/SPI-T/DINKES", answers, vis.header(nil)); code != http.StatusOK {
		t.Fatalf("submit after space was freed: %d", code)
	}
	if n := (&respondEnv{testEnv: e}).count("SELECT count(*) FROM responses"); n != 1 {
		t.Errorf("%d responses stored, want exactly the acknowledged one", n)
	}
}
