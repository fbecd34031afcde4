package server

import (
	"database/sql"
	"fmt"
	"integritas/internal/pgtest"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// hostile is one hostile request and what must come of it: a clear 4xx
// whose body holds a message (want), none of notWant (a payload echoed
// raw, a stack trace), and a database exactly as before.
type hostile struct {
	name       string
	method     string
	path       string
	body       string
	header     map[string]string
	wantStatus int
	want       []string
	notWant    []string
}

// hostileTables are left out of the before/after comparison: sessions and
// API tokens record when they were last used, and the audit log records
// refusals (a failed login, say) on purpose.
var hostileTables = map[string]bool{"sessions": true, "api_tokens": true, "audit_log": true}

// snapshot dumps every row of every other table, in a stable order.
func (e *testEnv) snapshot() string {
	e.t.Helper()
	db := pgtest.OpenRaw(e.t, e.store.Path())
	var tables []string
	for _, n := range pgtest.Tables(e.t, db, e.store.Path()) {
		if !hostileTables[n] {
			tables = append(tables, n)
		}
	}
	var b strings.Builder
	for _, t := range tables {
		lines := dumpTable(e.t, db, t)
		sort.Strings(lines)
		fmt.Fprintf(&b, "== %s (%d)\n%s\n", t, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

// dumpTable returns every row of a table as one line of text.
func dumpTable(t testing.TB, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + strings.ReplaceAll(table, `"`, `""`) + `"`)
	if err != nil {
		t.Fatalf("dump %s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var line strings.Builder
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = fmt.Sprintf("%x", b)
			}
			fmt.Fprintf(&line, "%s=%v\t", cols[i], v)
		}
		out = append(out, line.String())
	}
	return out
}

// hostile sends each request and checks its answer and the database.
func (e *testEnv) hostile(cases []hostile) {
	e.t.Helper()
	for _, hc := range cases {
		e.t.Run(hc.name, func(t *testing.T) {
			before := e.snapshot()
			method := hc.method
			if method == "" {
				method = http.MethodGet
			}
			resp, body := e.send(method, hc.path, hc.body, hc.header)
			code := resp.StatusCode
			if code != hc.wantStatus {
				t.Errorf("%s %.80s: status %d, want %d; body: %.300s", method, hc.path, code, hc.wantStatus, body)
			}
			if code >= 500 || code < 400 {
				t.Errorf("%s %.80s: status %d: hostile input must get a 4xx", method, hc.path, code)
			}
			for _, w := range hc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q; body: %.400s", w, body)
				}
			}
			for _, w := range append(hc.notWant, "goroutine ", "panic", "sqlite3", "CHECK constraint", "SQL logic error", "SQLSTATE") {
				if strings.Contains(body, w) {
					t.Errorf("body holds %q", w)
				}
			}
			if after := e.snapshot(); after != before {
				t.Errorf("the database changed:\n%s", diffLines(before, after))
			}
		})
	}
}

// diffLines lists the lines only in a or only in b.
func diffLines(a, b string) string {
	in := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		in[l]++
	}
	for _, l := range strings.Split(b, "\n") {
		in[l]--
	}
	var out []string
	for l, n := range in {
		switch {
		case n > 0:
			out = append(out, "- "+l)
		case n < 0:
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// unlimited points the environment at a second server on the same store
// and committer with the open-link rate limit off, so that a long table of
// open-link requests from one address tests the handlers, not the limit
// (which TestOpenLinkRateLimit covers).
func (e *testEnv) unlimited() {
	e.t.Helper()
	srv, err := New(Options{Store: e.store, Config: e.srv.cfg, Now: e.srv.now, Committer: e.srv.committer, OpenLinkLimit: RateLimit{PerMinute: -1}})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv.Handler())
	e.t.Cleanup(hs.Close)
	e.srv, e.http = srv, hs
}
