package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// openVisit is what a browser (or app) gets from an open link: the signed
// form and the device cookie ("name=value").
type openVisit struct {
	form, cookie string
}

var formField = regexp.MustCompile(`name="_form" value="([^"]+)"`)

// visitOpen loads an open link's page (or, for a path under /api/, the
// app's form) and keeps its form and cookie.
func visitOpen(t *testing.T, base, path string, header map[string]string) openVisit {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %.200s", path, resp.StatusCode, b)
	}
	var v openVisit
	if strings.HasPrefix(path, "/api/") {
		var f struct{ Form string }
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		v.form = f.Form
	} else if m := formField.FindSubmatch(b); m != nil {
		v.form = string(m[1])
	}
	if v.form == "" {
		t.Fatalf("GET %s: no signed form", path)
	}
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, deviceCookiePrefix) {
			v.cookie = c.Name + "=" + c.Value
		}
	}
	return v
}

func (e *testEnv) visitOpen(path string) openVisit { return visitOpen(e.t, e.http.URL, path, nil) }

// body adds the form to a form body.
func (v openVisit) body(b string) string { return b + "&_form=" + url.QueryEscape(v.form) }

// json adds the form to a JSON object body.
func (v openVisit) json(b string) string {
	return strings.TrimSuffix(strings.TrimSpace(b), "}") + `, "form": "` + v.form + `"}`
}

// header adds the cookie to the headers.
func (v openVisit) header(h map[string]string) map[string]string {
	out := map[string]string{}
	for k, x := range h {
		out[k] = x
	}
	if v.cookie != "" {
		out["Cookie"] = v.cookie
	}
	return out
}
