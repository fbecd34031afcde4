package server

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// requireBrowser fails, instead of skipping, when CI demands every
// dependency (INTEGRITAS_REQUIRE_ALL=1) and Chromium is missing.
func requireBrowser(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("INTEGRITAS_REQUIRE_ALL") == "1" {
		t.Fatalf("INTEGRITAS_REQUIRE_ALL=1 but no Chromium at %s: %v", chromiumPath, err)
	}
}

// browserLogin signs in through the real login form, starting from path;
// axe-core checks the login page and the page it lands on.
func browserLogin(t *testing.T, ctx context.Context, e *testEnv, email, path, waitFor string) {
	t.Helper()
	visit(t, ctx, e.http.URL+path, `#email`)
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Submit(chromedp.CSS(`#password`)),
		// The login page has a main too: wait for the signed-in page's
		// logout button, or the next navigation races the sign-in's
		// redirect and one of them is aborted (net::ERR_ABORTED, about
		// 1 run in 4 of TestStaffPagesInBrowser).
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(waitFor)),
	)
	if err != nil {
		t.Fatalf("login as %s: %v", email, err)
	}
	axePage(t, ctx)
}

// imagesLoaded scrolls to the end of the page (lazy images) and waits until
// every image has loaded with a positive natural width; it returns how many.
func imagesLoaded(t *testing.T, ctx context.Context) int {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, document.body.scrollHeight), true`))
	must(t, err)
	n, err := chromedp.Run(ctx, chromedp.Poll[int](
		`(() => { const im = Array.from(document.images); return im.length > 0 && im.every(i => i.complete && i.naturalWidth > 0) ? im.length : 0 })()`,
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		broken, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)`))
		t.Fatalf("chart images not loaded: %v (broken: %v)", err, broken)
	}
	return n
}

// TestDashboardInBrowser: an analyst signs in, opens the overview, a unit
// page and the heatmap, and sees the index and the charts drawn; a viewer
// of one unit cannot open another unit's page or chart.
func TestDashboardInBrowser(t *testing.T) {
	requireBrowser(t)
	e, _ := dashEnv(t)
	ctx := newBrowser(t)
	r := e.computed("SPI-T")
	id := e.srv.bundle.For("id")
	var want, city string
	for _, u := range r.Results.Units {
		if u.Code == "DINKES" {
			want = id.Num(*u.Index, 2)
		}
	}
	city = id.Num(*r.Results.City.Pooled.Index, 2)

	browserLogin(t, ctx, e, e.accountFor("analyst").Email, "/dash/SPI-T?lang=id", `#city-index`)
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#city-index`)))
	must(t, err)
	if strings.TrimSpace(got) != city {
		t.Errorf("overview city index %q, want %q", got, city)
	}
	if n := imagesLoaded(t, ctx); n < 2 {
		t.Errorf("overview: %d charts loaded, want the ranking and the response rate", n)
	}

	visit(t, ctx, e.http.URL+"/dash/SPI-T/units/DINKES", `#unit-index`)
	got, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#unit-index`)))
	must(t, err)
	if strings.TrimSpace(got) != want {
		t.Errorf("unit index %q, want %q", got, want)
	}
	if n := imagesLoaded(t, ctx); n != 2 {
		t.Errorf("unit page: %d charts loaded, want the profile and the trend", n)
	}

	visit(t, ctx, e.http.URL+"/dash/SPI-T/heatmap?type=external", `#heatmap`)
	if n := imagesLoaded(t, ctx); n != 1 {
		t.Errorf("heatmap page: %d images", n)
	}
	w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementById('heatmap').naturalWidth`))
	must(t, err)
	if w < 400 {
		t.Errorf("heatmap %d px wide", w)
	}

	// A viewer of DINKES, in a fresh browser.
	vctx := newBrowser(t)
	browserLogin(t, vctx, e, e.accountFor("viewer", "DINKES").Email, "/dash/SPI-T/units/DINKES?lang=id", `#unit-index`)
	if n := imagesLoaded(t, vctx); n != 2 {
		t.Errorf("viewer's own unit: %d charts", n)
	}
	visit(t, vctx, e.http.URL+"/dash/SPI-T/units/DISDIK", `main h1`)
	h1, err := chromedp.Run(vctx, chromedp.Text(chromedp.CSS(`main h1`)))
	must(t, err)
	body, err := chromedp.Run(vctx, chromedp.Text(chromedp.CSS(`main`)))
	must(t, err)
	if !strings.Contains(h1, "tidak ditemukan") || strings.Contains(body, "Dinas Pendidikan") {
		t.Errorf("viewer opened another unit's page: %q", h1)
	}
	for path, wantStatus := range map[string]int{
		"/charts/SPI-T/units/DISDIK/profile.png": 404, "/charts/SPI-T/units/DISDIK/trend.svg": 404,
		"/charts/SPI-T/ranking.png": 403, "/charts/SPI-T/units/DINKES/profile.png": 200,
	} {
		status, err := chromedp.Run(vctx, chromedp.Evaluate[int](`fetch('`+path+`').then(r => r.status)`, chromedp.EvalAwaitPromise))
		must(t, err)
		if status != wantStatus {
			t.Errorf("viewer fetching %s: %d, want %d", path, status, wantStatus)
		}
	}
}
