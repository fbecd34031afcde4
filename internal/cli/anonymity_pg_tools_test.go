package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"integritas/internal/testdeps"
	"integritas/survey"
)

// The PostgreSQL insider's tools of the attack suite: the cluster's data
// files and WAL read as files, pg_dump files parsed, pg_waldump's records.

// pgSkip skips (fails under INTEGRITAS_REQUIRE_ALL) when the cluster's
// files or tools are out of reach.
func pgSkip(t *testing.T, what string, err error) {
	t.Helper()
	testdeps.Missing(t, what+" ("+err.Error()+")", "run the test on the machine of a local cluster (scripts/pg-cluster.sh), as a user who can read its data directory")
}

// pgCluster is the insider's hold on the cluster under a test database:
// its data directory and WAL, read as files, and its tools.
type pgCluster struct {
	url, bin      string
	conn          *pgx.Conn // holds the temporary replication slot
	dataDir, base string    // base: the database's folder of data files
	startLSN      string
	startFile     string
	startOff      int
}

// openPGCluster finds the cluster's files and tools and creates a
// temporary physical replication slot, so that no WAL segment written
// from now on is recycled before the test reads it.
func openPGCluster(t *testing.T, db string) *pgCluster {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db)
	must(t, err)
	t.Cleanup(func() { conn.Close(ctx) })
	c := &pgCluster{url: db, conn: conn}
	var version int
	var oid string
	must(t, conn.QueryRow(ctx, `SELECT current_setting('server_version_num')::int, current_setting('data_directory'),
		(SELECT oid::text FROM pg_database WHERE datname = current_database())`).Scan(&version, &c.dataDir, &oid))
	c.base = filepath.Join(c.dataDir, "base", oid)
	if _, err := os.ReadDir(c.base); err != nil {
		pgSkip(t, "the cluster's data files", err)
	}
	c.bin = fmt.Sprintf("/usr/lib/postgresql/%d/bin", version/10000)
	for _, tool := range []string{"pg_dump", "pg_waldump"} {
		if _, err := os.Stat(filepath.Join(c.bin, tool)); err != nil {
			pgSkip(t, "PostgreSQL's "+tool, err)
		}
	}
	slot := "anon_" + filepath.Base(db)[len("itest_"):]
	if i := bytes.IndexByte([]byte(slot), '?'); i > 0 {
		slot = slot[:i]
	}
	if _, err := conn.Exec(ctx, `SELECT pg_create_physical_replication_slot($1, true, true)`, slot); err != nil {
		t.Fatalf("replication slot: %v", err)
	}
	must(t, conn.QueryRow(ctx, `SELECT pg_current_wal_lsn()::text, file_name, file_offset FROM pg_walfile_name_offset(pg_current_wal_lsn())`).
		Scan(&c.startLSN, &c.startFile, &c.startOff))
	return c
}

// dump writes a plain pg_dump of the database to file.
func (c *pgCluster) dump(t *testing.T, file string) {
	out, err := exec.Command(filepath.Join(c.bin, "pg_dump"), "-Fp", "--no-owner", "-f", file, "-d", c.url).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
}

// disk checkpoints, then reads every data file of the database and the
// WAL written since the test began.
func (c *pgCluster) disk(t *testing.T) (files, wal []byte) {
	ctx := context.Background()
	if _, err := c.conn.Exec(ctx, `CHECKPOINT`); err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	entries, err := os.ReadDir(c.base)
	must(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(c.base, e.Name()))
		if err == nil { // a file dropped meanwhile (a rewritten table's old one) is gone
			files = append(files, b...)
		}
	}
	var endFile string
	var endOff int
	must(t, c.conn.QueryRow(ctx, `SELECT file_name, file_offset FROM pg_walfile_name_offset(pg_current_wal_lsn())`).Scan(&endFile, &endOff))
	segs, err := os.ReadDir(filepath.Join(c.dataDir, "pg_wal"))
	must(t, err)
	for _, e := range segs {
		n := e.Name()
		if len(n) != 24 || n < c.startFile || n > endFile {
			continue
		}
		b, err := os.ReadFile(filepath.Join(c.dataDir, "pg_wal", n))
		must(t, err)
		lo, hi := 0, len(b) // bytes beyond the end are an older segment's, recycled
		if n == c.startFile {
			lo = c.startOff
		}
		if n == endFile {
			hi = endOff
		}
		if lo < hi && hi <= len(b) {
			wal = append(wal, b[lo:hi]...)
		}
	}
	return files, wal
}

// walRelease is one transaction's heap inserts into responses (ctids)
// and deletes from response_pool (for each, the transaction that had
// stored the deleted row), in WAL order.
type walRelease struct {
	inserts []string
	deletes []int64
}

var walRecordRE = regexp.MustCompile(`tx:\s+(\d+), lsn: \S+, prev \S+, desc: (INSERT|DELETE)\S* off (\d+).*blkref #0: rel \d+/\d+/(\d+) blk (\d+)`)

var walCommitRE = regexp.MustCompile(`tx:\s+(\d+), lsn: \S+, prev \S+, desc: COMMIT [^;\n]*; subxacts:((?: \d+)+)`)

// walReleases reads the WAL written since the start with pg_waldump, as
// an insider with the WAL archive would, and returns per (top-level)
// transaction its inserts into responses and deletes from response_pool
// (filenodes: the tables' relfilenodes the insider saw, node -> table),
// and top, which names a subtransaction's parent as the commit records do.
func (c *pgCluster) walReleases(t *testing.T, filenodes map[string]string) (map[int64]*walRelease, func(int64) int64) {
	ctx := context.Background()
	var end string
	must(t, c.conn.QueryRow(ctx, `SELECT pg_current_wal_flush_lsn()::text`).Scan(&end))
	var stderr bytes.Buffer
	cmd := exec.Command(filepath.Join(c.bin, "pg_waldump"), "-p", filepath.Join(c.dataDir, "pg_wal"), "-s", c.startLSN, "-e", end)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && len(out) == 0 {
		t.Fatalf("pg_waldump: %v\n%s", err, stderr.String())
	}
	parent := map[int64]int64{}
	for _, m := range walCommitRE.FindAllSubmatch(out, -1) {
		p, _ := strconv.ParseInt(string(m[1]), 10, 64)
		for _, f := range strings.Fields(string(m[2])) {
			x, _ := strconv.ParseInt(f, 10, 64)
			parent[x] = p
		}
	}
	top := func(x int64) int64 {
		if p, ok := parent[x]; ok {
			return p
		}
		return x
	}
	rel := map[int64]*walRelease{}
	storedBy := map[string]int64{} // pool row ctid -> the transaction that stored it
	for _, m := range walRecordRE.FindAllSubmatch(out, -1) {
		tb, op := filenodes[string(m[4])], string(m[2])
		xid, _ := strconv.ParseInt(string(m[1]), 10, 64)
		xid = top(xid)
		ctid := string(m[4]) + "(" + string(m[5]) + "," + string(m[3]) + ")"
		w := rel[xid]
		if w == nil {
			w = &walRelease{}
			rel[xid] = w
		}
		switch {
		case tb == "response_pool" && op == "INSERT":
			storedBy[ctid] = xid
		case tb == "response_pool" && op == "DELETE":
			x, ok := storedBy[ctid]
			if !ok {
				x = -1
			}
			w.deletes = append(w.deletes, x)
		case tb == "responses" && op == "INSERT":
			w.inserts = append(w.inserts, ctid[len(m[4]):])
		}
	}
	return rel, top
}

// dumpState reads an insiderState from a plain pg_dump's COPY blocks, as
// an insider with only the dump would.
func dumpState(t *testing.T, dump []byte, markerItem string) insiderState {
	tables := dumpTables(dump)
	if len(tables["units"]) == 0 {
		t.Fatalf("a dump without units: %.300s", dump)
	}
	units := map[string]string{}
	for _, r := range tables["units"] {
		units[r["id"]] = r["code"]
	}
	s := insiderState{used: map[string]map[int64]bool{}, responses: map[string]map[int64]string{}, pooled: len(tables["response_pool"])}
	for _, r := range tables["invitations"] {
		g := units[r["unit_id"]] + "/" + r["respondent_type"]
		if s.used[g] == nil {
			s.used[g] = map[int64]bool{}
		}
		if r["used"] == "1" {
			id, _ := strconv.ParseInt(r["id"], 10, 64)
			s.used[g][id] = true
		}
	}
	markers := map[string]string{}
	for _, r := range tables["text_answers"] {
		if r["item_code"] == markerItem {
			markers[r["response_id"]] = r["body"]
		}
	}
	for _, r := range tables["responses"] {
		if r["channel"] != survey.ChannelInvitation {
			continue
		}
		g := units[r["unit_id"]] + "/" + r["respondent_type"]
		if s.responses[g] == nil {
			s.responses[g] = map[int64]string{}
		}
		id, _ := strconv.ParseInt(r["id"], 10, 64)
		s.responses[g][id] = markers[r["id"]]
	}
	return s
}

var copyRE = regexp.MustCompile(`(?m)^COPY public\.(\w+) \(([^)]*)\) FROM stdin;\n`)

// dumpTables parses the COPY blocks of a plain dump: table -> rows, each
// column -> its text (\N for NULL).
func dumpTables(dump []byte) map[string][]map[string]string {
	out := map[string][]map[string]string{}
	for _, loc := range copyRE.FindAllSubmatchIndex(dump, -1) {
		table := string(dump[loc[2]:loc[3]])
		cols := strings.Split(string(dump[loc[4]:loc[5]]), ", ")
		for i := range cols {
			cols[i] = strings.Trim(cols[i], `"`)
		}
		body := dump[loc[1]:]
		if bytes.HasPrefix(body, []byte("\\.\n")) {
			body = nil
		} else if end := bytes.Index(body, []byte("\n\\.\n")); end >= 0 {
			body = body[:end]
		}
		for _, line := range strings.Split(string(body), "\n") {
			if line == "" || line == `\.` {
				continue
			}
			vals := strings.Split(line, "\t")
			row := map[string]string{}
			for i, c := range cols {
				if i < len(vals) {
					row[c] = vals[i]
				}
			}
			out[table] = append(out[table], row)
		}
	}
	return out
}
