package cli

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// audit collects what must never join a response to a person, and checks
// every place it could hide. Each secret has the tables where it belongs.
type audit struct {
	logs      *logBuffer
	tokens    []string
	secrets   []secret
	draftOnly []string   // draft words changed before submitting: gone everywhere
	exports   []artefact // files that left the system
	mailsSeen int
}

type secret struct {
	what, value string
	tables      []string // where it may be stored; nowhere else, never in logs or exports
	exportable  bool     // may appear in exports (a free-text answer)
}

type artefact struct {
	name string
	data []byte
}

type person struct{ name, email, phone string }

func newAudit() *audit { return &audit{logs: &logBuffer{}} }

// person registers roster row i: its name, e-mail and phone belong to the
// roster, to the invitation's contact and to the mail log only.
func (a *audit) person(i int) person {
	p := person{fmt.Sprintf("Rahasia Pegawai %02d", i), fmt.Sprintf("pegawai%02d@dinas.example.go.id", i), fmt.Sprintf("+62 812 5550 %04d", i)}
	mailTables := []string{"roster", "invitations", "deliveries"}
	a.secrets = append(a.secrets, secret{what: "roster name", value: p.name, tables: []string{"roster"}},
		secret{what: "roster e-mail", value: p.email, tables: mailTables}, secret{what: "roster phone", value: p.phone, tables: []string{"roster"}})
	return p
}

// respondent registers a respondent's address, browser and answer.
func (a *audit) respondent(addr, ua, marker string) {
	a.secret("respondent address", addr)
	a.secret("browser", ua)
	a.secrets = append(a.secrets, secret{what: "free-text answer", value: marker, tables: []string{"text_answers"}, exportable: true})
}

// secret registers a value that must be stored nowhere.
func (a *audit) secret(what, value string) {
	a.secrets = append(a.secrets, secret{what: what, value: value})
}

// addTokens registers every invitation token in text: the token belongs
// nowhere, its SHA-256 only to invitations.
func (a *audit) addTokens(text string) []string {
	var found []string
	for _, m := range linkToken.FindAllStringSubmatch(text, -1) {
		tok := m[1]
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || contains(a.tokens, tok) {
			continue
		}
		h := sha256.Sum256(raw)
		a.tokens = append(a.tokens, tok)
		found = append(found, tok)
		a.secret("token", tok)
		a.secrets = append(a.secrets, secret{what: "token hash", value: hex.EncodeToString(h[:]), tables: []string{"invitations"}})
	}
	return found
}

// waitMail waits until at least n messages arrived and no more come, and
// returns the tokens of the links in the messages not seen before.
func (a *audit) waitMail(t *testing.T, sink *smtpSink, n int) []string {
	t.Helper()
	last, stable := -1, time.Now()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		got := len(sink.Messages())
		if got != last {
			last, stable = got, time.Now()
		}
		if got >= n && time.Since(stable) > 700*time.Millisecond {
			break
		}
	}
	msgs := sink.Messages()
	if len(msgs) < n {
		t.Fatalf("%d e-mails arrived, want %d", len(msgs), n)
	}
	var toks []string
	for _, m := range msgs[a.mailsSeen:] {
		toks = append(toks, a.addTokens(m.Text)...)
	}
	a.mailsSeen = len(msgs)
	return toks
}

func (a *audit) export(t *testing.T, name string, b []byte) {
	t.Helper()
	if len(b) == 0 {
		t.Errorf("export %s is empty", name)
	}
	a.exports = append(a.exports, artefact{name, b})
}

// responseLinked are the tables whose rows are responses or point at one.
func responseLinked(t *testing.T, db *sql.DB) map[string]bool {
	t.Helper()
	linked := map[string]bool{"responses": true}
	for _, tb := range tableNames(t, db) {
		for _, fk := range foreignKeys(t, db, tb) {
			if fk == "responses" {
				linked[tb] = true
			}
		}
	}
	return linked
}

// checkSchema: no response-linked table can point at a person, and no
// table points at both a response and an invitation or roster row.
func (a *audit) checkSchema(t *testing.T, path string) {
	db := openRO(t, path)
	defer db.Close()
	linked := responseLinked(t, db)
	personal := regexp.MustCompile(`(?i)invitation|roster|token|ip|addr|email|contact|agent|session|delivery|sample`)
	for _, tb := range tableNames(t, db) {
		fks := foreignKeys(t, db, tb)
		for _, fk := range fks {
			if linked[tb] && fk != "periods" && fk != "units" && fk != "responses" {
				t.Errorf("response-linked table %s points at %s", tb, fk)
			}
		}
		if !linked[tb] {
			continue
		}
		for _, col := range columns(t, db, tb) {
			if personal.MatchString(col) {
				t.Errorf("response-linked table %s has a column %s", tb, col)
			}
		}
	}
	for _, col := range columns(t, db, "invitations") {
		if strings.HasSuffix(col, "_at") && col != "created_at" {
			t.Errorf("invitations keep a time %s: with the response's hour it would join them", col)
		}
	}
	if len(linked) < 2 { // responses and text_answers (v1's flag_decisions is gone, migration 0014)
		t.Errorf("response-linked tables: %v", linked)
	}
}

var exactTime = regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d`)

// checkTables dumps every row of every table and looks for each secret
// outside its tables, and for times finer than the hour beside a response.
func (a *audit) checkTables(t *testing.T, path string) {
	db := openRO(t, path)
	defer db.Close()
	linked := responseLinked(t, db)
	rows := 0
	for _, tb := range tableNames(t, db) {
		for _, line := range dumpRows(t, db, tb) {
			rows++
			for _, s := range a.secrets {
				if strings.Contains(line, s.value) && !contains(s.tables, tb) {
					t.Errorf("a %s (%q) is stored in %s: %.200s", s.what, s.value, tb, line)
				}
			}
			for _, d := range a.draftOnly {
				if strings.Contains(line, d) {
					t.Errorf("a deleted draft's words are in %s", tb)
				}
			}
			// The analyst's decision time is when staff decided, not when
			// anyone answered.
			if linked[tb] && exactTime.MatchString(strings.ReplaceAll(line, "decided_at=", "decided_at=#")) && tb != "flag_decisions" {
				t.Errorf("%s holds a time finer than the hour: %.200s", tb, line)
			}
		}
	}
	if rows < 100 {
		t.Errorf("only %d rows dumped", rows)
	}
}

// checkLogs: no log line holds any secret.
func (a *audit) checkLogs(t *testing.T) {
	out := a.logs.String()
	if !strings.Contains(out, `"route":"/s/:token"`) || !strings.Contains(out, `"route":"/r/:period/:unit"`) {
		t.Fatalf("the server's log was not captured: %.300s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		for _, s := range a.secrets {
			if strings.Contains(line, s.value) {
				t.Errorf("a %s is in the log: %.300s", s.what, line)
			}
		}
	}
	t.Logf("%d log lines checked", strings.Count(out, "\n"))
}

// checkExports: exports and packets hold answers, never a secret.
func (a *audit) checkExports(t *testing.T) {
	for _, e := range a.exports {
		text := artefactText(t, e.name, e.data)
		for _, s := range a.secrets {
			if !s.exportable && strings.Contains(text, s.value) {
				t.Errorf("a %s is in %s", s.what, e.name)
			}
		}
		// The answers as CSV (the XLSX holds the same cells; its document
		// properties carry the template's date).
		if strings.Contains(e.name, "answers") && !bytes.HasPrefix(e.data, []byte("PK")) {
			if m := exactTime.FindString(text); m != "" {
				t.Errorf("%s holds a time finer than the hour: %s", e.name, m)
			}
		}
	}
	if len(a.exports) < 10 {
		t.Errorf("only %d exports checked", len(a.exports))
	}
	kinds := map[string]int{}
	for _, s := range a.secrets {
		kinds[s.what]++
	}
	t.Logf("%d exports and packets searched for %d secrets: %v", len(a.exports), len(a.secrets), kinds)
}

// checkFile searches the database file's bytes, free pages included.
func (a *audit) checkFile(t *testing.T, path string) {
	var b []byte
	for _, f := range []string{path, path + "-wal"} {
		x, _ := os.ReadFile(f)
		b = append(b, x...)
	}
	for _, d := range a.draftOnly {
		if bytes.Contains(b, []byte(d)) {
			t.Errorf("the words of a deleted draft (%q) are still in the database file", d)
		}
	}
	for _, s := range a.secrets {
		if (s.what == "token" || s.what == "respondent address" || s.what == "browser" || s.what == "device cookie") && bytes.Contains(b, []byte(s.value)) {
			t.Errorf("a %s is in the database file", s.what)
		}
	}
}

// addDeviceHashes registers the stored device fingerprints, read before
// the close drops them: they belong to responses (for the duplicate check)
// and to the per-device day counts of the open-link cap (unit and day, which
// the response already shows), and nowhere else, in any spelling — after
// the close, nowhere at all.
func (a *audit) addDeviceHashes(t *testing.T, path string) {
	db := openRO(t, path)
	defer db.Close()
	rows, err := db.Query(`SELECT device_hash FROM responses WHERE device_hash IS NOT NULL
		UNION SELECT device_hash FROM open_device_days`)
	must(t, err)
	defer rows.Close()
	n := 0
	for rows.Next() {
		var h []byte
		must(t, rows.Scan(&h))
		n++
		for _, v := range []string{hex.EncodeToString(h), strings.ToUpper(hex.EncodeToString(h)), base64.StdEncoding.EncodeToString(h), base64.RawURLEncoding.EncodeToString(h)} {
			a.secrets = append(a.secrets, secret{what: "device fingerprint", value: v, tables: []string{"responses", "open_device_days"}})
		}
	}
	must(t, rows.Err())
	if n == 0 {
		t.Error("no open-link answer left a device fingerprint before the close: the check proves nothing")
	}
}

// checkDeviceTracesDropped: the close leaves no device fingerprint in
// responses or in the per-device counts.
func checkDeviceTracesDropped(t *testing.T, path string) {
	db := openRO(t, path)
	defer db.Close()
	var n int
	must(t, db.QueryRow(`SELECT (SELECT count(*) FROM responses WHERE device_hash IS NOT NULL) + (SELECT count(*) FROM open_device_days)`).Scan(&n))
	if n != 0 {
		t.Errorf("%d device fingerprints outlive the close", n)
	}
}
