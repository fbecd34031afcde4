package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"integritas/analysis"
	"integritas/results"
	"integritas/survey"
)

// clockEnv is the shared environment with a server whose clock the test moves.
func clockEnv(t *testing.T) (*testEnv, *time.Time, *httptest.Server) {
	e := newTestEnv(t)
	clock := e.now
	srv, err := New(Options{Store: e.store, Config: e.srv.cfg, Now: func() time.Time { return clock }, Committer: e.srv.committer})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return e, &clock, hs
}

func postAs(t *testing.T, base, path, body string, h map[string]string) (int, string, *http.Response) {
	t.Helper()
	s := &stuffer{t: t, base: base, addr: "192.0.2.1"}
	resp, b := s.send("POST", path, body, h)
	return resp.StatusCode, b, resp
}

// TestOpenFormExpiry: a form sent after openFormTTL is not stored; the
// page comes back with the answers and a fresh form, which is then stored
// with the fill time measured from its own issue.
func TestOpenFormExpiry(t *testing.T) {
	e, clock, hs := clockEnv(t)
	o := "/r/SPI-T/DINKES"
	vis := visitOpen(t, hs.URL, o, nil)
	*clock = clock.Add(openFormTTL + time.Minute)
	code, page, _ := postAs(t, hs.URL, o, vis.body(valid("X01", "antrean-panjang")), vis.header(nil))
	if code != http.StatusConflict || !strings.Contains(page, "dibuka lebih dari 12 jam") || !strings.Contains(page, "antrean-panjang") {
		t.Fatalf("expired form: %d %.300s", code, page)
	}
	m := formField.FindStringSubmatch(page)
	if m == nil || m[1] == vis.form {
		t.Fatal("the expired form was not replaced by a fresh one")
	}
	*clock = clock.Add(7 * time.Minute)
	again := openVisit{form: m[1], cookie: vis.cookie}
	if code, page, _ := postAs(t, hs.URL, o, again.body(valid("X01", "antrean-panjang")), again.header(nil)); code != http.StatusSeeOther {
		t.Fatalf("the fresh form: %d %.300s", code, page)
	}
	re := &respondEnv{testEnv: e}
	if n := re.count(`SELECT count(*) FROM responses WHERE duration_seconds = 420`); n != 1 {
		t.Errorf("%d responses with the measured 7 minutes, want 1", n)
	}
	if n := re.count(`SELECT n FROM open_link_counts WHERE outcome = 'expired'`); n != 1 {
		t.Errorf("expired counted %d times, want 1", n)
	}
}

// TestOpenCookieRefusal: answers without the device cookie are refused
// with a page, in the reader's language, that keeps them and gives the
// cookie again; sending once more with it stores them.
func TestOpenCookieRefusal(t *testing.T) {
	_, _, hs := clockEnv(t)
	o := "/r/SPI-T/DINKES?lang=en"
	vis := visitOpen(t, hs.URL, o, nil)
	code, page, resp := postAs(t, hs.URL, o, vis.body(valid("X01", "kept-words")), nil)
	if code != http.StatusForbidden || !strings.Contains(page, "Allow cookies for this site") || !strings.Contains(page, "kept-words") {
		t.Fatalf("no cookie: %d %.300s", code, page)
	}
	var again string
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, deviceCookiePrefix) {
			again = c.Name + "=" + c.Value
		}
	}
	if again == "" {
		t.Fatal("the refusal did not give the cookie again")
	}
	if code, page, _ := postAs(t, hs.URL, o, vis.body(valid("X01", "kept-words")), map[string]string{"Cookie": again}); code != http.StatusSeeOther {
		t.Fatalf("with the cookie: %d %.300s", code, page)
	}
}

// TestCloseKeepsDuplicateFlags: closing drops the device hashes, and the
// data-quality flags (the duplicate flag in particular) are the same after.
func TestCloseKeepsDuplicateFlags(t *testing.T) {
	e, _, hs := clockEnv(t)
	o := "/r/SPI-T/DINKES"
	first := visitOpen(t, hs.URL, o, nil)
	for i, body := range []string{valid(), valid(), valid("T01", "2")} {
		vis := visitOpen(t, hs.URL, o, first.header(nil)) // the same browser, a fresh form
		vis.cookie = first.cookie
		if i == 2 {
			vis = visitOpen(t, hs.URL, o, nil) // another browser
		}
		if code, page, _ := postAs(t, hs.URL, o, vis.body(body), vis.header(nil)); code != http.StatusSeeOther {
			t.Fatalf("answer %d: %d %.200s", i, code, page)
		}
	}
	ctx := context.Background()
	flags := func() map[int64][]analysis.Flag {
		r, err := results.Compute(ctx, e.store, "SPI-T", results.Options{})
		if err != nil {
			t.Fatal(err)
		}
		f, err := analysis.QualityFlags(r.Input)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	before := flags()
	dup := 0
	for _, fs := range before {
		for _, f := range fs {
			if f.Code == analysis.FlagDuplicate {
				dup++
			}
		}
	}
	if dup != 1 {
		t.Fatalf("%d duplicate flags before close, want 1: %v", dup, before)
	}
	if err := e.store.SetPeriodStatus(ctx, "SPI-T", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	if after := flags(); !reflect.DeepEqual(before, after) {
		t.Errorf("flags changed at close:\nbefore %v\nafter  %v", before, after)
	}
	re := &respondEnv{testEnv: e}
	if n := re.count(`SELECT count(*) FROM responses WHERE device_hash IS NOT NULL`); n != 2 {
		t.Errorf("%d responses keep a tag after close, want the 2 duplicates", n)
	}
}
