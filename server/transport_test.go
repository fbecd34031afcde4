package server

import (
	"net/http/httptest"
	"testing"
	"time"
)

// TestHSTSWithDirectTLS: serving TLS itself, the server sent no HSTS.
func TestHSTSWithDirectTLS(t *testing.T) {
	e := newTestEnv(t)
	if _, h, _ := e.get("/healthz", nil); h.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain HTTP")
	}
	cfg := e.srv.cfg
	cfg.TLSCert, cfg.TLSKey = "cert.pem", "key.pem"
	srv, err := New(Options{Store: e.store, Config: cfg, Now: e.srv.now})
	must(t, err)
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	e2 := &testEnv{t: t, store: e.store, srv: srv, http: hs}
	if _, h, _ := e2.get("/healthz", nil); h.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS when serving TLS directly")
	}
}

// TestProxyHintWarnsOnce: many requests from one private address in a
// window (a proxy not in --trusted-proxies) warn once; a spread does not.
func TestProxyHintWarnsOnce(t *testing.T) {
	var h proxyHint
	now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	for i := range proxyWarnRequests {
		if h.count("10.0.0."+string(rune('0'+i%10)), now) {
			t.Fatal("warned for requests spread over ten addresses")
		}
	}
	warned := 0
	for range 2 * proxyWarnRequests {
		if h.count("10.0.0.1", now) {
			warned++
		}
	}
	if warned != 1 {
		t.Errorf("warned %d times, want once", warned)
	}
}
