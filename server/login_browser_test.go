package server

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"integritas/internal/testdeps"
)

// chromiumPath is where the project's machines have Debian's chromium.
const chromiumPath = "/usr/bin/chromium"

// newBrowser starts a headless Chromium, or skips saying why; axe-core
// checks every page it shows (watchAxe).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		testdeps.Missing(t, "Chromium at "+chromiumPath, "apt-get install chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.WindowSize(1100, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// Start the browser on a context without a deadline (a deadline on the
	// first run would stop the whole browser), then bound the test.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute) // room for axe-core on every page
	t.Cleanup(cancel3)
	return watchAxe(t, ctx, false)
}

// TestLoginInBrowser signs in through the real form in Chromium (which
// sends Origin and Sec-Fetch-Site, so the cross-origin protection sees a
// real browser), follows next, and logs out through the nav's form.
func TestLoginInBrowser(t *testing.T) {
	e := newTestEnv(t)
	ctx := newBrowser(t)
	u := e.accountFor("admin")
	visit(t, ctx, e.http.URL+"/admin/periods?lang=id", `#email`)
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#email`), u.Email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Submit(chromedp.CSS(`#password`)),
		chromedp.WaitVisible(chromedp.CSS(`nav.account`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	axePage(t, ctx)
	title, err := chromedp.Run(ctx, chromedp.Title())
	must(t, err)
	nav, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`nav.account`)))
	must(t, err)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	must(t, err)
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`nav.account button`)), chromedp.WaitVisible(chromedp.CSS(`#email`))))
	after, err := chromedp.Run(ctx, chromedp.Location())
	must(t, err)
	if !strings.HasPrefix(title, "Periode survei") {
		t.Errorf("after login the page is %q, want the periods page (next)", title)
	}
	for _, w := range []string{"Periode", "Pengguna", "Log audit", "Keluar"} {
		if !strings.Contains(nav, w) {
			t.Errorf("the signed-in nav lacks %q: %q", w, nav)
		}
	}
	if !strings.HasSuffix(after, "/login") {
		t.Errorf("after logout the browser is at %q", after)
	}
	if dir := os.Getenv("INTEGRITAS_SHOTS"); dir != "" {
		os.WriteFile(dir+"/admin-periods.png", shot, 0o644)
	}
	// The session is gone on the server, not only in the browser.
	if n, _ := e.store.SessionCount(context.Background(), u.ID); n != 0 {
		t.Errorf("%d sessions after logout in the browser", n)
	}
}
