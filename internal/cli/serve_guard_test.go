package cli

import (
	"io"
	"net"
	"testing"
	"time"
)

// TestInsecureBaseURL: an http:// base URL on a LAN address with Secure
// cookies broke staff login in silence; serve now warns loudly for it.
func TestInsecureBaseURL(t *testing.T) {
	for _, tc := range []struct {
		url    string
		secure bool
		want   bool
	}{
		{"http://192.168.1.10:8080", true, true},
		{"http://spi.pemda.lan", true, true},
		{"http://192.168.1.10:8080", false, false},
		{"http://127.0.0.1:8080", true, false},
		{"http://localhost:8080", true, false},
		{"http://[::1]:8080", true, false},
		{"https://spi.example.go.id", true, false},
	} {
		if got := insecureBaseURL(tc.url, tc.secure); got != tc.want {
			t.Errorf("insecureBaseURL(%q, %v) = %v, want %v", tc.url, tc.secure, got, tc.want)
		}
	}
}

// TestConnectionsPerAddress: one address may hold at most n connections;
// the next is closed at once, and a slot frees when a connection closes.
func TestConnectionsPerAddress(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := limitPerAddr(raw, 2)
	defer ln.Close()
	accepted := make(chan net.Conn, 10)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	dial := func() net.Conn {
		c, err := net.Dial("tcp", raw.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := dial(), dial()
	first := <-accepted
	<-accepted
	third := dial()
	third.SetReadDeadline(time.Now().Add(10 * time.Second)) // a bound on a hang, not a timed assertion
	if _, err := third.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("third connection from one address: read %v, want EOF (closed by the server)", err)
	}
	first.Close()
	a.Close()
	fourth := dial()
	defer fourth.Close()
	if c := <-accepted; c == nil {
		t.Error("a freed slot was not reused")
	}
	b.Close()
}
