package server

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// axeScript is axe-core's minified script (testdata/axe, MPL-2.0), read once
// per test binary.
var axeScript = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	return string(b), err
})

// axeViolation is one failed rule with the elements it failed on.
type axeViolation struct {
	ID    string   `json:"id"`
	Nodes []string `json:"nodes"`
}

// axeGuard makes sure axe-core's WCAG 2.0 A/AA and 2.1 AA rules ran on every
// HTML page a browser tab showed. It notes each document the main frame
// commits (whatever brought it: a navigation, a click, a form, a redirect);
// axePage checks the current one, the shared helpers (browserLogin,
// page.open, page.press, visit) call it after every page they reach, and
// when the test ends the last page is checked and any document left
// unchecked fails the test, naming it. Every browser the tests start has a
// guard, so a new browser test cannot skip the check by forgetting it.
//
// (Checking a page automatically as it is left, by pausing the next
// document request, does not work with chromedp: while a request is paused
// no command of the browser gets an answer.)
type axeGuard struct {
	t        *testing.T
	src      string
	noScript bool // the test runs the tab without JavaScript: enable it for axe alone

	mu      sync.Mutex
	seen    []axeDoc                  // documents the main frame committed, in order
	checked map[cdp.LoaderID]struct{} // documents axe ran on
	pages   []string                  // URLs checked, for the log
}

type axeDoc struct {
	loader cdp.LoaderID
	url    string
}

// guards finds a tab's guard from its context.
type axeKey struct{}

// watchAxe puts an axeGuard on the tab of ctx and returns the context that
// carries it. noScript says the test turned the page's JavaScript off.
func watchAxe(t *testing.T, ctx context.Context, noScript bool) context.Context {
	t.Helper()
	src, err := axeScript()
	if err != nil {
		t.Fatal(err)
	}
	g := &axeGuard{t: t, src: src, noScript: noScript, checked: map[cdp.LoaderID]struct{}{}}
	must(t, chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*cdppage.EventFrameNavigated); ok && ev.Frame.ParentID == "" && strings.HasPrefix(ev.Frame.URL, "http") {
			g.mu.Lock()
			g.seen = append(g.seen, axeDoc{ev.Frame.LoaderID, ev.Frame.URL})
			g.mu.Unlock()
		}
	}))
	ctx = context.WithValue(ctx, axeKey{}, g)
	t.Cleanup(func() {
		if ctx.Err() == nil {
			axePage(t, ctx)
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		for _, d := range g.seen {
			if _, ok := g.checked[d.loader]; !ok {
				t.Errorf("axe-core never ran on %s: call axePage (or a helper that does) after reaching it", d.url)
			}
		}
		t.Logf("axe-core (WCAG 2.1 AA) checked %d pages in this tab: %s", len(g.pages), strings.Join(g.pages, " "))
	})
	return ctx
}

// axePage runs axe-core on the tab's current document, unless it ran there
// already or the document is no HTML page (an image, a PDF), and fails the
// test on any violation.
func axePage(t *testing.T, ctx context.Context) {
	t.Helper()
	g, _ := ctx.Value(axeKey{}).(*axeGuard)
	if g == nil {
		t.Fatal("axePage: the browser has no axe guard (start it with newBrowser, browser or slowBrowser)")
	}
	tree, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) (*cdppage.FrameTree, error) {
		r, err := cdp.Call(ctx, tg, cdppage.GetFrameTree, cdp.Empty{})
		return r.FrameTree, err
	})
	must(t, err)
	loader, url := tree.Frame.LoaderID, tree.Frame.URL
	g.mu.Lock()
	_, done := g.checked[loader]
	g.checked[loader] = struct{}{}
	g.mu.Unlock()
	if done || !strings.HasPrefix(url, "http") {
		return
	}
	if g.noScript {
		scriptsOn(t, ctx, true)
		defer scriptsOn(t, ctx, false)
	}
	kind, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.contentType`))
	must(t, err)
	if kind != "text/html" {
		return
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](g.src+`;
		axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})
			.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Errorf("axe-core on %s: %v", url, err)
		return
	}
	var vs []axeViolation
	must(t, json.Unmarshal([]byte(out), &vs))
	g.mu.Lock()
	g.pages = append(g.pages, url[strings.Index(url[len("http://"):], "/")+len("http://"):])
	g.mu.Unlock()
	if len(vs) > 0 {
		t.Errorf("axe-core: %s has %d WCAG 2.1 AA violations: %+v", url, len(vs), vs)
	}
}

// visit opens a path of the test server, waits for sel and checks the page
// with axe-core.
func visit(t *testing.T, ctx context.Context, url, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		t.Fatalf("visit %s: %v", url, err)
	}
	axePage(t, ctx)
}

// scriptsOn turns the page's script execution on or off.
func scriptsOn(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	must(t, chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	})))
}
