package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestMCPInBrowser: an analyst signs in, opens the MCP-beside-SPI page and
// sees every mapped area with its chart drawn, DISDIK's APIP gap explained,
// and PKM1's pajak daerah figures suppressed.
func TestMCPInBrowser(t *testing.T) {
	requireBrowser(t)
	e, _ := dashEnv(t)
	seedMCP(t, e)
	ctx := newBrowser(t)
	browserLogin(t, ctx, e, e.accountFor("analyst").Email, "/dash/SPI-T/mcp?lang=id", `#area-pengadaan`)
	if n := imagesLoaded(t, ctx); n != 8 {
		t.Errorf("%d area charts loaded, want 8", n)
	}
	apip, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#area-apip`)))
	must(t, err)
	for _, want := range []string{"Pengawasan APIP", "Dinas Pendidikan", "Kesenjangan: pencegahan di atas kertas saja", "baru ada di dokumen", "61,50"} {
		if !strings.Contains(apip, want) {
			t.Errorf("APIP section lacks %q: %s", want, apip)
		}
	}
	pajak, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#area-pajak_daerah`)))
	must(t, err)
	if !strings.Contains(pajak, "Disembunyikan: kurang dari k responden") || strings.Contains(pajak, "baru ada di dokumen") {
		t.Errorf("pajak daerah section (PKM1 under k): %s", pajak)
	}
	rule, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#mcp-rule`)))
	must(t, err)
	if !strings.Contains(rule, "Waspada 73,00") {
		t.Errorf("rule %q", rule)
	}
}
