package server

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"integritas/analysis"
	"integritas/results"
	"integritas/survey"
)

// browser starts Debian's headless Chromium on a 360×740 phone viewport,
// with JavaScript on or off; the test is skipped when Chromium is missing.
// axe-core checks every page it shows (watchAxe).
func browser(t *testing.T, js bool) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("INTEGRITAS_REQUIRE_ALL") != "" {
			t.Fatalf("%s is missing and INTEGRITAS_REQUIRE_ALL is set (CI): %v", chromiumPath, err)
		}
		t.Skipf("browser test skipped: %s is missing (apt-get install chromium; CI installs it)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(360, 740),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("accept-lang", "id-ID,id"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// Start the browser without a deadline (a deadline on the first run
	// would end the whole browser), then bound the test.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute) // room for axe-core on every page
	t.Cleanup(cancelTime)
	steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile)}
	if !js {
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("phone viewport: %v", err)
	}
	return watchAxe(t, ctx, !js)
}

// page drives one browser tab against the test server.
type page struct {
	t    *testing.T
	ctx  context.Context
	base string
	last *network.Response // the last page opened
}

// open navigates to path and checks the page with axe-core.
func (p *page) open(path string) int64 {
	p.t.Helper()
	resp, err := chromedp.RunResponse(p.ctx, chromedp.Navigate(p.base+path))
	if err != nil {
		p.t.Fatalf("open %s: %v", path, err)
	}
	p.last = resp
	axePage(p.t, p.ctx)
	return resp.Status
}

// choose clicks the radio button of an item's value, as a thumb would.
func (p *page) choose(item, value string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(`input[name="`+item+`"][value="`+value+`"]`))); err != nil {
		p.t.Fatalf("choose %s=%s: %v", item, value, err)
	}
}

// press clicks a submit button, waits for the next page and checks it
// with axe-core.
func (p *page) press(action string) int64 {
	p.t.Helper()
	resp, err := chromedp.RunResponse(p.ctx, chromedp.Click(chromedp.CSS(`button[value="`+action+`"]`)))
	if err != nil {
		p.t.Fatalf("press %s: %v", action, err)
	}
	axePage(p.t, p.ctx)
	return resp.Status
}

func (p *page) text() string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		p.t.Fatal(err)
	}
	return s
}

func (p *page) checked(item, value string) bool {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.JavascriptAttribute[bool](chromedp.CSS(`input[name="`+item+`"][value="`+value+`"]`), "checked"))
	if err != nil {
		p.t.Fatal(err)
	}
	return v
}

// TestBrowserInvitation: open the link, answer half, save, leave, reopen
// (answers kept), finish, send, see thanks; the link then says it was used.
// Run with JavaScript on and off: the page must work either way.
func TestBrowserInvitation(t *testing.T) {
	for _, js := range []bool{true, false} {
		name := map[bool]string{true: "javascript on", false: "javascript off"}[js]
		t.Run(name, func(t *testing.T) {
			e := newRespondEnv(t)
			tok := e.invite("DINKES", survey.Internal, 1)[0]
			p := &page{t: t, ctx: browser(t, js), base: e.http.URL}
			link := "/s/" + tok
			if st := p.open(link); st != 200 {
				t.Fatalf("invitation page: %d", st)
			}
			// The fresh questionnaire comes gzip-compressed, spliced from
			// parts compressed once (respond_gzip.go), and the browser reads it.
			if enc := p.last.Headers["Content-Encoding"]; enc != "gzip" {
				t.Errorf("questionnaire Content-Encoding %v, want gzip", enc)
			}
			if js {
				width, err := chromedp.Run(p.ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
				if err != nil || width > 360 {
					t.Errorf("page is %d px wide on a 360 px phone (%v)", width, err)
				}
			}
			first := map[string]string{"T01": "4", "T02": "dk", "T03": "2", "T06": "no", "IT01": "5", "IT04": "yes", "PBJ01": "3"}
			for item, v := range first {
				p.choose(item, v)
			}
			// With JavaScript the count follows each tap; without it the
			// server's count stays until the next page (and proves that
			// script really is off in that run).
			want := map[bool]string{true: "7", false: "0"}[js]
			if n, _ := chromedp.Run(p.ctx, chromedp.Text(chromedp.ID("answered"))); n != want {
				t.Errorf("progress shows %q answered, want %s", n, want)
			}
			if st := p.press("save"); st != 200 || !strings.Contains(p.text(), "tersimpan") {
				t.Fatalf("save: %d %.300q", st, p.text())
			}
			p.open("/") // leave
			p.open(link)
			if !strings.Contains(p.text(), "Selamat datang kembali") {
				t.Error("reopened link does not say it resumed")
			}
			for item, v := range first {
				if !p.checked(item, v) {
					t.Errorf("after resuming, %s=%s is not checked", item, v)
				}
			}
			for item, v := range map[string]string{"SOS01": "4", "SOS02": "5", "golongan": "III"} {
				p.choose(item, v)
			}
			if st := p.press("submit"); st != 200 || !strings.Contains(p.text(), "Terima kasih") {
				t.Fatalf("submit: %d %.300q", st, p.text())
			}
			if st := p.open(link); st != 410 || !strings.Contains(p.text(), "sudah digunakan") {
				t.Errorf("used link: %d %.300q", st, p.text())
			}
			if n := e.count(`SELECT count(*) FROM responses WHERE channel = 'invitation' AND stratum = 'III' AND duration_seconds IS NOT NULL`); n != 1 {
				t.Errorf("%d stored responses with the stratum, want 1", n)
			}
			if n := e.count(`SELECT count(*) FROM sealed_drafts`); n != 0 {
				t.Errorf("%d drafts left", n)
			}
		})
	}
}

// TestBrowserOpenLinkTwice answers the open link twice from one browser:
// both are stored, with the same device hash, so analysis can flag the
// duplicate.
func TestBrowserOpenLinkTwice(t *testing.T) {
	e := newRespondEnv(t)
	p := &page{t: t, ctx: browser(t, true), base: e.http.URL}
	for i := range 2 {
		if st := p.open("/r/SPI-T/DINKES"); st != 200 {
			t.Fatalf("open link: %d", st)
		}
		for item, v := range map[string]string{"T01": "2", "SOS01": "3", "SOS02": "3", "IT05": "yes"} {
			p.choose(item, v)
		}
		if st := p.press("submit"); st != 200 || !strings.Contains(p.text(), "Terima kasih") {
			t.Fatalf("submit %d: %d %q", i+1, st, p.text())
		}
	}
	if n := e.count(`SELECT count(*) FROM responses WHERE channel = 'open'`); n != 2 {
		t.Fatalf("%d open responses stored, want both", n)
	}
	if n := e.count(`SELECT count(DISTINCT device_hash) FROM responses WHERE channel = 'open' AND device_hash IS NOT NULL`); n != 1 {
		t.Errorf("the two answers from one browser carry %d device hashes, want 1", n)
	}
	if n := e.count(`SELECT count(*) FROM (SELECT answers FROM responses GROUP BY answers, device_hash HAVING count(*) = 2) twice`); n != 1 {
		t.Errorf("same answers from the same device not recognisable as a duplicate")
	}
	// And the analysis flags it (spi-method.md §6), keeping both stored.
	res, err := results.Compute(context.Background(), e.store, "SPI-T", results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	flagged := -1
	for _, u := range res.Results.Units {
		if u.Code == "DINKES" {
			flagged = u.Quality.ByFlag[analysis.FlagDuplicate]
		}
	}
	if flagged != 1 {
		t.Errorf("DINKES has %d responses flagged duplicate, want 1", flagged)
	}
}
