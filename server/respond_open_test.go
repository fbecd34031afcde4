package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

func TestOpenLinkPages(t *testing.T) {
	e := newRespondEnv(t)
	o := "/r/SPI-T/DINKES"
	vis := e.visitOpen(o)
	e.run([]scenario{
		{name: "questionnaire", path: o, wantStatus: 200,
			want:    []string{"Dinas Kesehatan", "Responden eksternal", "cookie acak", `name="PP04"`, "Kirim jawaban"},
			notWant: []string{`value="save"`, `name="PBJ01"`, `name="golongan"`, "Tautan undangan", `name="_period"`}},
		{name: "child unit", path: "/r/SPI-T/PKM1", wantStatus: 200, want: []string{"Puskesmas Satu"}},
		{name: "unknown unit", path: "/r/SPI-T/NOPE", wantStatus: 404, want: []string{"Halaman tidak ditemukan"}},
		{name: "unit of another period", path: "/r/SPI-T/KOTA", wantStatus: 404},
		{name: "that unit in its own period", path: "/r/SPI-X/KOTA", wantStatus: 200, want: []string{"Kota"}},
		{name: "unknown period", path: "/r/NOPE/DINKES", wantStatus: 404},
		{name: "closed period", path: "/r/SPI-C/DINKES", wantStatus: 409, want: []string{"Survei tidak sedang dibuka"}},
		{name: "closed period post", method: "POST", path: "/r/SPI-C/DINKES", body: valid(), wantStatus: 409},
		{name: "other period's unit post", method: "POST", path: "/r/SPI-T/KOTA", body: valid(), wantStatus: 404},
		{name: "internal-only item", method: "POST", path: o, body: valid("PBJ01", "3"), wantStatus: 422, want: []string{"bukan untuk jenis responden"}},
		{name: "strata is internal only", method: "POST", path: o, body: valid("golongan", "III"), wantStatus: 422, want: []string{"bukan untuk jenis responden"}},
		{name: "out of range kept", method: "POST", path: o, body: valid("PP04", "6"), wantStatus: 422, want: []string{`name="T01" value="4" checked`, `id="p-PP04"`}},
		{name: "in English", method: "POST", path: o + "?lang=en", body: valid("PP04", "6"), wantStatus: 422, want: []string{"is not an answer to this question"}},
		{name: "oversized body", method: "POST", path: o, body: longForm(), wantStatus: 413},
		{name: "forged cross-site post", method: "POST", path: o, body: valid(), header: map[string]string{"Sec-Fetch-Site": "cross-site"}, wantStatus: 403},
		{name: "submit", method: "POST", path: o, body: vis.body(valid()), header: vis.header(nil), wantStatus: 200, want: []string{"Terima kasih"}},
		{name: "the same form again", method: "POST", path: o, body: vis.body(valid()), header: vis.header(nil), wantStatus: 409, want: []string{"sudah kami terima", "Buka formulir lagi"}},
		{name: "qr of unknown unit", path: o + "X/qr.png", wantStatus: 404},
	})
	if n := e.count("SELECT count(*) FROM responses WHERE channel = 'open' AND respondent_type = 'external'"); n != 1 {
		t.Errorf("%d open responses, want 1", n)
	}
}

func TestOpenLinkDeviceCookie(t *testing.T) {
	e := newRespondEnv(t)
	resp := e.raw("GET", "/r/SPI-T/DINKES", "", nil)
	var dev *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == deviceCookieName(e.period) {
			dev = c
		}
	}
	if dev == nil || len(dev.Value) != 22 || !dev.HttpOnly || dev.SameSite != http.SameSiteLaxMode {
		t.Fatalf("device cookie %+v", dev)
	}
	if dev.MaxAge <= 0 || dev.MaxAge > int(deviceCookieNoClose.Seconds()) {
		t.Errorf("cookie lives %d s: not bounded by the period", dev.MaxAge)
	}
	ua := "Mozilla/5.0 (Linux; Android 14) Test"
	post := func(cookie, agent string, want int) {
		t.Helper()
		vis := e.visitOpen("/r/SPI-T/DINKES") // a fresh signed form each time
		h := map[string]string{"User-Agent": agent}
		if cookie != "" {
			h["Cookie"] = deviceCookieName(e.period) + "=" + cookie
		}
		if r := e.raw("POST", "/r/SPI-T/DINKES", vis.body(valid()), h); r.StatusCode != want {
			t.Fatalf("post with cookie %q: %d, want %d", cookie, r.StatusCode, want)
		}
	}
	post(dev.Value, ua, http.StatusSeeOther)
	post(dev.Value, ua+" other", http.StatusSeeOther)       // same cookie, other browser string: the same device
	post(dev.Value, ua, http.StatusTooManyRequests)         // over the device cap (2 per unit and day)
	post("AAAAAAAAAAAAAAAAAAAAAA", ua, http.StatusSeeOther) // another browser
	post("", ua, http.StatusForbidden)                      // no cookie: refused, never stored without one
	post("not-a-valid-cookie-value!", ua, http.StatusForbidden)
	cases := []struct {
		name string
		q    string
		want int
	}{
		{"stored within the cap", "SELECT count(*) FROM responses", 3},
		{"the repeat shares one hash", "SELECT max(n) FROM (SELECT count(*) n FROM responses WHERE device_hash IS NOT NULL GROUP BY device_hash) per_device", 2},
		{"distinct fingerprints", "SELECT count(DISTINCT device_hash) FROM responses", 2},
		{"none without a fingerprint", "SELECT count(*) FROM responses WHERE device_hash IS NULL", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := e.count(c.q); got != c.want {
				t.Errorf("%d, want %d", got, c.want)
			}
		})
	}
	t.Run("hash is keyed per period, outside the database", func(t *testing.T) {
		want := e.srv.deviceHash(e.period, dev.Value)
		if n := e.count("SELECT count(*) FROM responses WHERE device_hash = ?", want); n != 2 {
			t.Errorf("%d rows carry the keyed tag of the cookie, want 2", n)
		}
		other, _ := e.store.Period(context.Background(), "SPI-X")
		if bytes.Equal(e.srv.deviceHash(other, dev.Value), want) {
			t.Error("one cookie gives the same tag in two periods")
		}
		if bytes.Contains(want, e.period.DeviceSalt) || e.count("SELECT count(*) FROM responses WHERE device_hash = ?", sha256Of(e.period.DeviceSalt, dev.Value)) != 0 {
			t.Error("the tag is computable from the salt stored in the database")
		}
	})
}

func TestOpenLinkRateLimit(t *testing.T) {
	e := newRespondEnv(t)
	allowed := 0
	var last *http.Response
	for range defaultBurst + 5 {
		last = e.raw("POST", "/r/SPI-T/DINKES", valid(), nil) // refused (no form) but counted by the limit
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
		allowed++
	}
	if allowed != defaultBurst || last.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("%d allowed then %d; want %d then 429", allowed, last.StatusCode, defaultBurst)
	}
	if last.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	code, body, _ := e.do("POST", "/r/SPI-T/DINKES", valid(), nil)
	if code != http.StatusTooManyRequests || !strings.Contains(body, "Terlalu banyak permintaan") {
		t.Errorf("429 page: %d %.200s", code, body)
	}
	// Invitation links are not limited: each is one-time anyway.
	tok := e.invite("DINKES", "internal", 1)[0]
	if r := e.raw("POST", "/s/"+tok, valid(), nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("invitation after the open-link limit: %d", r.StatusCode)
	}
}

func TestIPLimiterBounded(t *testing.T) {
	l, err := newIPLimiter(RateLimit{PerMinute: 60, Burst: 1, Clients: 2})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)
	steps := []struct {
		addr string
		ok   bool
	}{{"a", true}, {"a", false}, {"b", true}, {"a", false}, {"c", true}, {"a", false}, {"b", true}}
	// "b" was least recently seen when "c" came, so it was forgotten and
	// gets a fresh bucket; "a", which keeps coming, stays limited.
	for i, s := range steps {
		if ok, _ := l.allow(s.addr, now); ok != s.ok {
			t.Errorf("step %d (%s): allowed %v, want %v", i, s.addr, ok, s.ok)
		}
	}
	if l.clients.Len() > 2 {
		t.Errorf("limiter remembers %d addresses, bound 2", l.clients.Len())
	}
	if ok, _ := l.allow("a", now.Add(61e9)); !ok {
		t.Error("bucket did not refill after a minute")
	}
}

func TestOpenLinkQR(t *testing.T) {
	e := newRespondEnv(t)
	resp, err := e.http.Client().Get(e.http.URL + "/r/SPI-T/DINKES/qr.png")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("status %d, type %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	body, _ := io.ReadAll(resp.Body)
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != qrSize || b.Dy() != qrSize {
		t.Errorf("QR is %v, want %d px square", b, qrSize)
	}
	// The encoder is deterministic: the same PNG means the same link, the
	// public base URL's, not the address the request came to.
	want, _ := qrcode.Encode("http://integritas.test/r/SPI-T/DINKES", qrcode.Medium, qrSize)
	if !bytes.Equal(body, want) {
		t.Error("the QR code does not encode http://integritas.test/r/SPI-T/DINKES")
	}
}

// sha256Of is the old, unkeyed device hash: SHA-256(salt, 0, cookie).
func sha256Of(salt []byte, id string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte{0})
	h.Write([]byte(id))
	return h.Sum(nil)
}
