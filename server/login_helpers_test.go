package server

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"integritas/survey"
)

// Helpers to act as a signed-in staff member in handler tests. Reuse them:
//
//	admin := e.loginAs("admin")
//	viewer := e.loginAs("viewer", "DINKES")
//	e.run([]scenario{{name: "…", path: "/…", header: viewer, wantStatus: 200}})
//
// e.do and e.run follow redirects (an anonymous page ends on the login
// form); e.send does not, for checking a 303 and its Location.

// testPassword is the password of every account the helpers create.
const testPassword = "kata-sandi-uji-123"

// accountFor creates, once per environment, the account of a role and unit
// scope: e-mail "<role>[-<unit>…]@example.go.id".
func (e *testEnv) accountFor(role string, units ...string) *survey.User {
	e.t.Helper()
	email := strings.ToLower(strings.Join(append([]string{role}, units...), "-")) + "@example.go.id"
	ctx := context.Background()
	if u, err := e.store.UserByEmail(ctx, email); err == nil {
		return u
	}
	u, err := e.store.CreateUser(ctx, survey.NewUser{Email: email, Name: "Uji " + role, Role: role, Password: testPassword, Units: units})
	if err != nil {
		e.t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// loginAs signs in (through the real POST /login) as the account of role
// and units and returns headers carrying its session cookie.
func (e *testEnv) loginAs(role string, units ...string) map[string]string {
	e.t.Helper()
	u := e.accountFor(role, units...)
	resp, body := e.send("POST", "/login", form("email", u.Email, "password", testPassword), nil)
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login as %s: status %d; %.300s", u.Email, resp.StatusCode, body)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == e.srv.sessionCookie() && ck.Value != "" {
			return map[string]string{"Cookie": ck.Name + "=" + ck.Value}
		}
	}
	e.t.Fatalf("login as %s: no session cookie", u.Email)
	return nil
}

// tokenAs returns an Authorization header with a new personal API token of
// the account of role and units.
func (e *testEnv) tokenAs(role string, units ...string) map[string]string {
	e.t.Helper()
	u := e.accountFor(role, units...)
	tok, _, err := e.store.CreateToken(context.Background(), u.Email, "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return map[string]string{"Authorization": "Bearer " + tok}
}

// send makes one request without following redirects.
func (e *testEnv) send(method, path, body string, header map[string]string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.http.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		if strings.HasPrefix(strings.TrimSpace(body), "{") {
			req.Header.Set("Content-Type", "application/json")
		} else {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := *e.http.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// upload builds a multipart body from field values and files (name →
// content, uploaded as name+".txt" unless the key holds "name:filename").
// It returns the body and the headers to send with it, merged into extra.
func upload(t *testing.T, fields map[string]string, files map[string]string, extra map[string]string) (string, map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for k, v := range files {
		field, filename, ok := strings.Cut(k, ":")
		if !ok {
			filename = field + ".txt"
		}
		fw, err := w.CreateFormFile(field, filename)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(v))
	}
	w.Close()
	h := map[string]string{"Content-Type": w.FormDataContentType()}
	for k, v := range extra {
		h[k] = v
	}
	return buf.String(), h
}

// must fails the test on an error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
