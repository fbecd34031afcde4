package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"integritas/internal/testdeps"
)

// emulateMedia switches the page's CSS media type ("print", or "" for screen).
func emulateMedia(media string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return chromedp.Void{}, err
	}
}

// TestDashboardOnPhoneAndPaper: at 360×740 no dashboard page is wider than
// the screen (tables scroll inside their own box), axe-core (watchAxe)
// finds no WCAG 2.1 AA violation on any page visited (login included), and
// the unit page printed shows no navigation.
func TestDashboardOnPhoneAndPaper(t *testing.T) {
	requireBrowser(t)
	e, _ := dashEnv(t)
	ctx := slowBrowser(t)
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)))

	visit(t, ctx, e.http.URL+"/login?lang=id", `#email`)
	browserLogin(t, ctx, e, e.accountFor("analyst").Email, "/dash/SPI-T?lang=id", `#city-index`)
	pages := []string{"/dash", "/dash/SPI-T", "/dash/SPI-T/units", "/dash/SPI-T/units/DINKES", "/dash/SPI-T/elements/transparansi",
		"/dash/SPI-T/heatmap?type=external", "/dash/SPI-T/quality"}
	for _, path := range pages {
		must(t, chromedp.Do(ctx, chromedp.Navigate(e.http.URL+path), chromedp.WaitVisible(chromedp.CSS(`main h1`))))
		imagesOrNone(t, ctx)
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
		must(t, err)
		if wide[0] > wide[1] {
			over, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('body *')).filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && !(el.parentElement && el.parentElement.closest('.table-wrap'))).slice(0, 8).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))`))
			t.Errorf("%s: %d px wide on a %d px screen; too wide: %v", path, wide[0], wide[1], over)
		}
		axePage(t, ctx)
	}

	// The unit page on paper: no navigation, the figures still there.
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.http.URL+"/dash/SPI-T/units/DINKES"), chromedp.WaitVisible(chromedp.CSS(`#unit-index`))))
	imagesOrNone(t, ctx)
	axePage(t, ctx) // on screen; printing hides the navigation on purpose
	must(t, chromedp.Do(ctx, emulateMedia("print")))
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('nav, header.top, .dash-nav, form')).filter(el => el.getClientRects().length > 0).map(el => el.tagName + '.' + el.className)`))
	must(t, err)
	if len(shown) > 0 {
		t.Errorf("printed unit page shows navigation: %v", shown)
	}
	index, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#unit-index`)))
	must(t, err)
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)) // the top, where navigation was
	must(t, err)
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()) // the first screen: a full page of every table is slow
	must(t, err)
	if strings.TrimSpace(index) == "" || len(png) < 1000 {
		t.Errorf("printed unit page: index %q, screenshot of %d bytes", index, len(png))
	}
	if dir := os.Getenv("INTEGRITAS_SCREENSHOTS"); dir != "" {
		must(t, os.WriteFile(filepath.Join(dir, "unit-print.png"), png, 0o644))
	}
}

// imagesOrNone waits for a page's chart images, if it has any.
func imagesOrNone(t *testing.T, ctx context.Context) {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.images.length`))
	must(t, err)
	if n > 0 {
		imagesLoaded(t, ctx)
	}
}

// slowBrowser is newBrowser with room for eight pages, each checked by
// axe-core (650 kB of script), on a loaded two-core machine.
func slowBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		testdeps.Missing(t, "Chromium at "+chromiumPath, "apt-get install chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.WindowSize(360, 740))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancel3 := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(cancel3)
	return watchAxe(t, ctx, false)
}
