package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
)

// gunzip decompresses one gzip member, checking its CRC and length.
func gunzip(t *testing.T, z []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	if rest, _ := io.ReadAll(zr); len(rest) > 0 {
		t.Fatalf("bytes after the gzip member")
	}
	return string(got)
}

// plainPage is cp with vals in its slots, as cachedForm writes it.
func plainPage(cp *cachedPage, vals *[slotCount]string) []byte {
	var b bytes.Buffer
	cp.writePlain(&b, vals)
	return b.Bytes()
}

// TestGzipPageRoundTrip compresses pages whose slots sit at the start, the
// end and next to each other, with values empty, long enough to need two
// stored blocks, and repeating the page's own text, and gets back exactly
// the uncompressed page.
func TestGzipPageRoundTrip(t *testing.T) {
	st := slotSentinels
	static := strings.Repeat(`<label class="q"><input type="radio" name="Q1" value="3"> Sering / Often</label>`, 300)
	pages := []string{
		st[slotPath] + "<html>" + static + st[slotUnitName] + st[slotStarted] + "</html>" + st[slotForm],
		"<p>" + static + "</p>",
		st[slotPeriod] + st[slotUnit],
		"",
	}
	valSets := [][slotCount]string{
		{"s/abc", "1767225600", "FORM", "SPI-2026", "DINKES", "Dinas Kesehatan &amp; KB"},
		{},
		{strings.Repeat("x", 70000), "1", static, static[:100], "", "Ünït"},
	}
	for i, page := range pages {
		cp := splitSlots(page)
		if err := deflatePage(cp); err != nil {
			t.Fatal(err)
		}
		for j, vals := range valSets {
			plain := plainPage(cp, &vals)
			var z bytes.Buffer
			cp.writeGzip(&z, &vals, plain)
			if got := gunzip(t, z.Bytes()); got != string(plain) {
				t.Errorf("page %d, values %d: decompressed %d bytes, want %d", i, j, len(got), len(plain))
			}
		}
	}
	// Compressed indeed: the repeated text shrinks.
	cp := splitSlots(pages[1])
	deflatePage(cp)
	var z bytes.Buffer
	vals := [slotCount]string{}
	cp.writeGzip(&z, &vals, plainPage(cp, &vals))
	if z.Len()*10 > len(pages[1]) {
		t.Errorf("%d bytes compressed to %d", len(pages[1]), z.Len())
	}
}

// TestGzipSizeIgnoresValues is the compression side channel closed: the
// compressed page's length depends on the values' lengths only, so a token
// that repeats the page's own text compresses no better than a random one.
func TestGzipSizeIgnoresValues(t *testing.T) {
	page := "<form action=\"/" + slotSentinels[slotPath] + "\">" + strings.Repeat(`<a href="/s/AAAAAAAAAAAAAAAAAAAAAAAA?lang=en">English</a>`, 50) + "</form>"
	cp := splitSlots(page)
	if err := deflatePage(cp); err != nil {
		t.Fatal(err)
	}
	size := func(path string) int {
		vals := [slotCount]string{slotPath: path}
		var z bytes.Buffer
		cp.writeGzip(&z, &vals, plainPage(cp, &vals))
		return z.Len()
	}
	random, echo := size("s/q8Zr2Lx0Wm4Kp7Tb9Vn3Yc5D"), size("s/AAAAAAAAAAAAAAAAAAAAAAAA")
	if random != echo || size("s/q8Zr2Lx0Wm4Kp7Tb9Vn3Yc5DE") != random+1 {
		t.Errorf("compressed size %d for a random token, %d for one repeating the page", random, echo)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"gzip, deflate, br, zstd": true, // Chrome
		"gzip, deflate, br":       true, // Firefox, Safari
		"GZIP":                    true,
		"x-gzip":                  true,
		"br;q=1.0, gzip;q=0.8":    true,
		"gzip;q=0":                false,
		"gzip;q=0.000":            false,
		"gzip;q=x":                false,
		"*":                       true,
		"*;q=0":                   false,
		"gzip;q=0, *":             false,
		"identity":                false,
		"deflate, br":             false,
		"":                        false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

// TestFormServedCompressed asks for a questionnaire with and without gzip:
// the same page either way, compressed only when asked for, and a proxy
// told that the answer varies with the header.
func TestFormServedCompressed(t *testing.T) {
	e := newRespondEnv(t)
	path := "/s/" + e.invite("DINKES", "internal", 1)[0]
	get := func(accept string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", e.http.URL+path, nil)
		req.Header.Set("Accept-Encoding", accept) // set by hand: Go's client then leaves the body alone
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	plainResp, plain := get("identity")
	zResp, z := get("gzip, deflate, br, zstd")
	offResp, off := get("gzip;q=0")
	if plainResp.Header.Get("Content-Encoding") != "" || offResp.Header.Get("Content-Encoding") != "" {
		t.Errorf("compressed unasked: %q, %q", plainResp.Header.Get("Content-Encoding"), offResp.Header.Get("Content-Encoding"))
	}
	if zResp.StatusCode != http.StatusOK || zResp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("asked for gzip: %d, Content-Encoding %q", zResp.StatusCode, zResp.Header.Get("Content-Encoding"))
	}
	for _, r := range []*http.Response{plainResp, zResp} {
		if r.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Vary %q", r.Header.Get("Vary"))
		}
	}
	if got := gunzip(t, z); got != string(plain) || string(off) != string(plain) {
		t.Errorf("the compressed page (%d bytes, %d unpacked) is not the plain one (%d)", len(z), len(got), len(plain))
	}
	if len(z)*4 > len(plain) {
		t.Errorf("%d bytes compressed to only %d", len(plain), len(z))
	}
	t.Logf("questionnaire %d bytes, %d compressed", len(plain), len(z))
}
