package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"integritas/assets"
	"integritas/survey"
)

// TestCachedFormMatchesFullRender serves fresh questionnaires from the
// cached page — an invitation, an open link, in both languages, for a unit
// with a hostile name — and finds each byte for byte what the full render
// makes of the same request (the open link's random signed form aside).
func TestCachedFormMatchesFullRender(t *testing.T) {
	e := newRespondEnv(t)
	ctx := context.Background()
	const hostile = `<b>Dinas "X" & 'Y'</b><script>alert(1)</script>{{.}}`
	per, err := e.store.CreatePeriod(ctx, survey.NewPeriod{Code: "SPI-H", Instrument: assets.DefaultInstrument()})
	if err != nil {
		t.Fatal(err)
	}
	csv := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
		`EVIL,"` + strings.ReplaceAll(hostile, `"`, `""`) + `",,,10,100,5` + "\n"
	if _, err := e.store.ImportUnitsCSV(ctx, per, "u.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	if err := e.store.SetPeriodStatus(ctx, "SPI-H", survey.StatusOpen); err != nil {
		t.Fatal(err)
	}
	iss, err := e.store.CreateInvitations(ctx, per.ID, []survey.NewInvitation{{UnitCode: "EVIL", Type: survey.Internal}})
	if err != nil {
		t.Fatal(err)
	}
	formField := regexp.MustCompile(`name="_form" value="[^"]*"`)
	for _, lang := range []string{"id", "en"} {
		for _, tc := range []struct {
			path string
			v    formView
		}{
			{"/s/" + iss[0].Token, formView{typ: survey.Internal, claim: &formClaim{Period: "SPI-H", Unit: "EVIL", Type: survey.Internal}}},
			{"/r/SPI-H/EVIL", formView{typ: survey.External, openLink: true, form: "F"}},
		} {
			req, _ := http.NewRequest("GET", e.http.URL+tc.path, nil)
			req.Header.Set("Accept-Language", lang)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("%s %s: %d, Cache-Control %q", lang, tc.path, resp.StatusCode, resp.Header.Get("Cache-Control"))
			}
			// Go's client asks for gzip, as browsers do, and checks the
			// stream's CRC and length as it decompresses.
			if !resp.Uncompressed {
				t.Errorf("%s %s: the page did not come compressed", lang, tc.path)
			}

			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest("GET", tc.path, nil)
			c.Request.Header.Set("Accept-Language", lang)
			v := tc.v
			v.inst, v.unitName, v.action, v.full = per.Instrument, hostile, tc.path, true
			if !v.openLink {
				v.started = e.srv.startStamp(0)
			}
			e.srv.showForm(c, http.StatusOK, v)
			want := w.Body.String()

			g := formField.ReplaceAllString(string(got), `name="_form" value="F"`)
			if g != want {
				i := 0
				for i < len(g) && i < len(want) && g[i] == want[i] {
					i++
				}
				t.Errorf("%s %s: cached page differs from the full render at byte %d:\n%.200s\nwant\n%.200s", lang, tc.path, i, g[i:], want[i:])
			}
			sk, err := e.srv.skeleton(per.Instrument, v.typ, v.openLink, e.srv.bundle.For(lang))
			if err != nil || sk.fresh.page == nil {
				t.Errorf("%s %s: no cached page was built (%v)", lang, tc.path, err)
			}
			if strings.Contains(g, "<script>alert") || !strings.Contains(g, "&lt;b&gt;Dinas &#34;X&#34; &amp; &#39;Y&#39;&lt;/b&gt;") {
				t.Errorf("%s %s: the unit's name is not escaped", lang, tc.path)
			}
		}
	}
}

// TestThanksPageCached serves the thanks page twice per language (the
// second from the cache): the same page, in the language asked for, not
// to be stored by caches.
func TestThanksPageCached(t *testing.T) {
	e := newRespondEnv(t)
	for _, tc := range []struct{ lang, want string }{{"id", "Terima kasih"}, {"en", "Thank you"}} {
		var pages []string
		for range 2 {
			req, _ := http.NewRequest("GET", e.http.URL+"/thanks", nil)
			req.Header.Set("Accept-Language", tc.lang)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" ||
				resp.Header.Get("Content-Security-Policy") == "" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Errorf("%s: %d, headers %v", tc.lang, resp.StatusCode, resp.Header)
			}
			pages = append(pages, string(b))
		}
		if pages[0] != pages[1] || !strings.Contains(pages[1], tc.want) || !strings.Contains(pages[1], `<html lang="`+tc.lang+`"`) {
			t.Errorf("%s: thanks page %.300s", tc.lang, pages[1])
		}
	}
}
