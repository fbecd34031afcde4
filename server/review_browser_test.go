package server

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReviewAndWithholdInBrowser: an analyst sees a unit under review (its
// coached cluster) in the ranking and on the data-quality page; its packet
// cannot be sent; the inspector withholds its index on that page; the
// ranking and the unit's packet then show "ditangguhkan" with the reason.
func TestReviewAndWithholdInBrowser(t *testing.T) {
	requireBrowser(t)
	e, _ := dashEnv(t)
	cluster := coachDINKES(t, e)
	const reason = "Pengkondisian: 12 jawaban identik dalam 3 jam, berita acara 700/12"

	actx := newBrowser(t)
	browserLogin(t, actx, e, e.accountFor("analyst").Email, "/dash/SPI-T/units?lang=id", `#ranking`)
	row, err := chromedp.Run(actx, chromedp.Text(chromedp.Search(`//table[@id="ranking"]//tr[.//a[contains(@href,"/units/DINKES")]]`)))
	must(t, err)
	if !strings.Contains(row, "Dalam peninjauan") {
		t.Errorf("ranking row of DINKES does not say under review: %q", row)
	}
	visit(t, actx, e.http.URL+"/dash/SPI-T/quality", `#review-DINKES`)
	card, err := chromedp.Run(actx, chromedp.Text(chromedp.CSS(`#review-DINKES`)))
	must(t, err)
	if !strings.Contains(card, cluster) || !strings.Contains(card, "menunggu keputusan") {
		t.Errorf("review card: %q", card)
	}
	if n, _ := chromedp.Run(actx, chromedp.Evaluate[int](`document.querySelectorAll('#review-DINKES form').length`)); n != 0 {
		t.Errorf("an analyst is offered %d decision forms; the Inspectorate decides", n)
	}

	// Its packet cannot be sent while under review.
	insp := e.loginAs("inspector")
	if code, body, _ := e.do("POST", "/inspectorate/SPI-T/packets/send", form("unit", "DINKES", "lang", "id", "mode", "link"), insp); code != 409 ||
		!strings.Contains(body, "dalam peninjauan") {
		t.Errorf("sending the packet of a unit under review: %d %.300s", code, body)
	}

	ictx := newBrowser(t)
	browserLogin(t, ictx, e, e.accountFor("inspector").Email, "/dash/SPI-T/quality?lang=id", `#review-DINKES form`)
	must(t, chromedp.Do(ictx,
		chromedp.SendKeys(chromedp.CSS(`#review-DINKES form input[name="reason"]`), reason),
		chromedp.Click(chromedp.CSS(`#review-DINKES form button[value="withhold"]`)),
		// #decisions is on the page before the POST too ("no decision
		// yet"); only the stored decision brings its revoke form, so wait
		// for that, not for the table, or the read races the redirect.
		chromedp.WaitVisible(chromedp.CSS(`#decisions form.decision`)),
	))
	axePage(t, ictx)
	decisions, err := chromedp.Run(ictx, chromedp.Text(chromedp.CSS(`#decisions`)))
	must(t, err)
	if !strings.Contains(decisions, "Tangguhkan indeks unit") || !strings.Contains(decisions, reason) || !strings.Contains(decisions, e.accountFor("inspector").Email) {
		t.Errorf("the decision is not listed with who and why: %q", decisions)
	}

	// The analyst's ranking: "Ditangguhkan" with the reason, no number.
	visit(t, actx, e.http.URL+"/dash/SPI-T/units", `#ranking`)
	row, err = chromedp.Run(actx, chromedp.Text(chromedp.Search(`//table[@id="ranking"]//tr[.//a[contains(@href,"/units/DINKES")]]`)))
	must(t, err)
	if !strings.Contains(strings.ToLower(row), "ditangguhkan") || !strings.Contains(row, reason) || strings.Contains(row, "Dalam peninjauan") {
		t.Errorf("ranking row after withholding: %q", row)
	}

	// The packet, as the inspector previews it in the browser.
	b64, err := chromedp.Run(ictx, chromedp.Evaluate[string](`fetch('/inspectorate/SPI-T/packets/DINKES/preview').then(r => r.arrayBuffer()).then(b => {
		let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s) })`, chromedp.EvalAwaitPromise))
	must(t, err)
	pdf, err := base64.StdEncoding.DecodeString(b64)
	must(t, err)
	text := pdfText(t, pdf)
	if !strings.Contains(strings.ToLower(text), "ditangguhkan") || !strings.Contains(text, "berita acara 700/12") {
		t.Errorf("the packet does not say ditangguhkan with the reason: %.600s", text)
	}
	if strings.Contains(text, "PRATINJAU") {
		t.Error("the packet of a decided unit still says under review")
	}
}
