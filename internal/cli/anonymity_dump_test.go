package cli

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Helpers of the anonymity audit: reading every row of a database, and
// every readable byte of an exported file.

// artefactText is everything readable in a file: ZIPs (packets, XLSX)
// opened entry by entry, PDFs through pdftotext.
func artefactText(t *testing.T, name string, b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return ""
		}
		var out strings.Builder
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Errorf("%s/%s: %v", name, f.Name, err)
				continue
			}
			var buf bytes.Buffer
			buf.ReadFrom(rc)
			rc.Close()
			out.WriteString(f.Name + "\n" + artefactText(t, name+"/"+f.Name, buf.Bytes()) + "\n")
		}
		return out.String()
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return pdfText(t, name, b)
	case bytes.HasPrefix(b, []byte("\x89PNG")):
		return "" // charts: drawn from aggregates only
	}
	return string(b)
}

func pdfText(t *testing.T, name string, b []byte) string {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("INTEGRITAS_REQUIRE_ALL") != "" {
			t.Fatalf("pdftotext (poppler-utils) is missing and INTEGRITAS_REQUIRE_ALL is set: %v", err)
		}
		t.Logf("pdftotext (poppler-utils) is missing: the PDF %s is not searched", name)
		return ""
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Errorf("pdftotext %s: %v", name, err)
	}
	return string(out)
}

func openRO(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	must(t, err)
	return db
}

func tableNames(t *testing.T, db *sql.DB) []string {
	t.Helper()
	return column(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
}

func foreignKeys(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	return column(t, db, `SELECT "table" FROM pragma_foreign_key_list(?)`, table)
}

func columns(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	return column(t, db, `SELECT name FROM pragma_table_info(?)`, table)
}

func column(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		must(t, rows.Scan(&s))
		out = append(out, s)
	}
	return out
}

// dumpRows is every row of a table as text; BLOBs as hex (a device hash,
// a token hash), except ZIPs, which are opened and read.
func dumpRows(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	must(t, err)
	defer rows.Close()
	cols, _ := rows.Columns()
	vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		must(t, rows.Scan(ptrs...))
		var line strings.Builder
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
					v = artefactText(t, table+"."+cols[i], b)
				} else {
					v = hex.EncodeToString(b)
				}
			}
			fmt.Fprintf(&line, "%s=%v\t", cols[i], v)
		}
		out = append(out, line.String())
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// logBuffer is the server's log sink, written from many goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// must fails the test on an error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
