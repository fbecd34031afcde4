package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"

	"integritas/internal/pgtest"
	"integritas/survey"
)

// TestAnonymityAttacksPostgres plays issue 11's insider against a
// PostgreSQL store (issue 18): the cycle of TestAnonymityAttacks, watched
// by someone who holds the cluster — its tables at every commit, pg_dump
// files, the WAL (kept whole by a replication slot) and the data files —
// but not the key file. The attacks:
//
//   - SQL state read after every commit, each response linked to the
//     invitations used since the pool was last empty (linkAttack);
//   - pg_dump taken at the moments SQLite's cycle takes backups, diffed
//     consecutively;
//   - order: inside each release, the responses' id order paired with the
//     pool rows' submission order (their xmin) and with their id order, and
//     the order of the release's heap INSERTs paired with its DELETEs of
//     pool rows in the WAL (pg_waldump);
//   - after CHECKPOINT, every byte of the database's data files and of the
//     WAL written since the start searched for draft words, answers not
//     yet released and live links; after the close, the data files searched
//     for released pool rows, which the key file would open and xmin would
//     join to their invitations.
//
// As on SQLite, the control (WithPoolRelease(1)) must be linked by every
// attack, or the attack proves nothing.
func TestAnonymityAttacksPostgres(t *testing.T) {
	pool := runPGAttackCycle(t, false)
	control := runPGAttackCycle(t, true)
	t.Logf("pool:    %+v", pool)
	t.Logf("control: %+v", control)
	fmt.Printf("anonymity attacks (postgres): SQL state after every commit linked %d of %d with the pool (smallest candidate set %d, %d commits); control linked %d of %d\n",
		pool.sqlLinked, pool.responses, pool.sqlSmallest, pool.commits, control.sqlLinked, control.responses)
	fmt.Printf("anonymity attacks (postgres): pg_dump diffs linked %d of %d with the pool (smallest set %d, %d dumps); control linked %d of %d\n",
		pool.dumpLinked, pool.responses, pool.dumpSmallest, pool.dumps, control.dumpLinked, control.responses)
	fmt.Printf("anonymity attacks (postgres): order attacks paired right (id vs submission, id vs pool id, WAL insert vs delete) %d, %d, %d of %d with the pool (%d releases; chance %d); control %d, %d, %d of %d\n",
		pool.bySubmission, pool.byPoolID, pool.byWAL, pool.responses, pool.releases, pool.releases, control.bySubmission, control.byPoolID, control.byWAL, control.responses)
	fmt.Printf("anonymity attacks (postgres): byte search of data files, WAL and dumps after CHECKPOINT (%d moments each, %.0f MB read): draft words %d/%d, live links %d/%d, pooled answers %d/%d (pool/control); after the close, released pool rows in the data files %d of %d (waiting ones found %d of %d before)\n",
		pool.scans, float64(pool.scanned+control.scanned)/1e6, pool.draftHits, control.draftHits, pool.liveLinks, control.liveLinks, pool.poolLeaks, control.poolLeaks,
		pool.deadRows, pool.poolRows, pool.aliveFound, pool.aliveRows)

	if pool.sqlLinked != 0 || pool.dumpLinked != 0 {
		t.Errorf("with the pool, %d responses were linked through the SQL state and %d through dumps beyond k = %d", pool.sqlLinked, pool.dumpLinked, attackK)
	}
	if pool.aliveFound != pool.aliveRows || pool.aliveRows == 0 {
		t.Errorf("the data files showed %d of the %d waiting pool rows: the search for released ones is blind", pool.aliveFound, pool.aliveRows)
	}
	if control.sqlLinked != control.responses || control.dumpLinked == 0 {
		t.Errorf("the control linked %d (SQL state) and %d (dumps) of %d: the attack cannot fail, so it proves nothing", control.sqlLinked, control.dumpLinked, control.responses)
	}
	// A release's order pairs each response with a pool row at random: by
	// chance one right per release on average, all right with odds of
	// 1 in 864 for this cycle's releases (3, 3 and 4). An order that
	// follows the shuffle pairs all right.
	for what, n := range map[string][2]int{"id vs submission order": {pool.bySubmission, control.bySubmission},
		"id vs pool id order": {pool.byPoolID, control.byPoolID}, "WAL insert vs delete order": {pool.byWAL, control.byWAL}} {
		if n[0] >= pool.responses {
			t.Errorf("with the pool, %s pairs all %d responses with their invitations", what, pool.responses)
		}
		if n[1] != control.responses || pool.walReleases != pool.releases {
			t.Errorf("in the control, %s paired %d of %d: the attack cannot fail, so it proves nothing", what, n[1], control.responses)
		}
	}
	for _, r := range []pgAttackResult{pool, control} {
		if r.draftHits != 0 || r.liveLinks != 0 || r.poolLeaks != 0 || r.logLinks != 0 || r.deadRows != 0 {
			t.Errorf("%s: draft words found %d times, live links %d, pooled answers readable %d, links in logs %d, released pool rows left in data files %d; want none",
				r.name, r.draftHits, r.liveLinks, r.poolLeaks, r.logLinks, r.deadRows)
		}
		if r.queuedMail == 0 || r.name == "pool" && (r.poolRows == 0 || r.pooledMax == 0) {
			t.Errorf("%s: %d messages queued, %d pool rows seen, at most %d answers pooled: the cycle did not stage the attack", r.name, r.queuedMail, r.poolRows, r.pooledMax)
		}
	}
}

type pgAttackResult struct {
	name                                string
	responses, commits, dumps, releases int
	sqlLinked, sqlSmallest              int
	dumpLinked, dumpSmallest            int
	bySubmission, byPoolID, byWAL       int
	scans, scanned                      int
	draftHits, liveLinks, poolLeaks     int
	logLinks, queuedMail, pooledMax     int
	poolRows, deadRows                  int
	aliveRows, aliveFound               int
	walReleases                         int
}

// pgPoolRow is a pool row as the insider saw it alive.
type pgPoolRow struct {
	id, xmin   int64
	ctid       string
	box        []byte // the start of its sealed payload
	invitation int64  // used in the commit that stored it; -1 when unclear
	group      string // unit code / respondent type
}

// pgInsider watches a PostgreSQL store as the cycle runs.
type pgInsider struct {
	mu      sync.Mutex // observe runs on the committer's goroutine
	t       *testing.T
	c       *pgCluster
	raw     *sql.DB
	dir     string
	states  []insiderState
	secrets [][]byte
	answers []string
	res     *pgAttackResult

	pool      map[int64]*pgPoolRow // every pool row ever seen
	poolOrder [][]int64            // per state: the pool ids alive
	respXmin  map[int64]int64      // response id -> the transaction that released it
	respCtid  map[int64]string     // response id -> where it was stored
	usedXmin  map[int64]int64      // invitation id -> the transaction that used it
	filenodes map[string]string    // relfilenode -> table (responses, response_pool)
	dumps     []string
}

// observe reads the state after a commit, as SQL shows it.
func (in *pgInsider) observe() {
	in.mu.Lock()
	defer in.mu.Unlock()
	t := in.t
	st, ok := readStateDB(t, in.raw, "X01")
	if !ok {
		return
	}
	prev := map[int64]bool{}
	if len(in.states) > 0 {
		for g := range in.states[len(in.states)-1].used {
			for id := range in.states[len(in.states)-1].used[g] {
				prev[id] = true
			}
		}
	}
	var fresh []int64 // invitations used since the last state
	rows, err := in.raw.Query(`SELECT id, xmin::text FROM invitations WHERE used = 1`)
	must(t, err)
	for rows.Next() {
		var id int64
		var xmin string
		must(t, rows.Scan(&id, &xmin))
		if !prev[id] {
			fresh = append(fresh, id)
		}
		if _, ok := in.usedXmin[id]; !ok {
			in.usedXmin[id], _ = strconv.ParseInt(xmin, 10, 64)
		}
	}
	rows.Close()
	var alive []int64
	rows, err = in.raw.Query(`SELECT p.id, p.xmin::text, p.ctid::text, substring(p.sealed from 1 for 48), u.code || '/' || p.respondent_type
		FROM response_pool p JOIN units u ON u.id = p.unit_id`)
	must(t, err)
	for rows.Next() {
		var r pgPoolRow
		var xmin string
		must(t, rows.Scan(&r.id, &xmin, &r.ctid, &r.box, &r.group))
		r.xmin, _ = strconv.ParseInt(xmin, 10, 64)
		alive = append(alive, r.id)
		if in.pool[r.id] == nil {
			r.invitation = -1
			if len(fresh) == 1 {
				r.invitation = fresh[0]
			}
			in.pool[r.id] = &r
		}
	}
	rows.Close()
	rows, err = in.raw.Query(`SELECT id, xmin::text, ctid::text FROM responses`)
	must(t, err)
	for rows.Next() {
		var id int64
		var xmin, ctid string
		must(t, rows.Scan(&id, &xmin, &ctid))
		if _, ok := in.respXmin[id]; !ok {
			in.respXmin[id], _ = strconv.ParseInt(xmin, 10, 64)
			in.respCtid[id] = ctid
		}
	}
	rows.Close()
	for _, tb := range []string{"responses", "response_pool"} {
		var node string
		must(t, in.raw.QueryRow(`SELECT pg_relation_filenode(?::regclass)::text`, tb).Scan(&node))
		in.filenodes[node] = tb
	}
	in.states = append(in.states, st)
	in.poolOrder = append(in.poolOrder, alive)
	in.res.pooledMax = max(in.res.pooledMax, st.pooled)
}

// moment is a backup moment of the cycle: a pg_dump, then the disk read
// after CHECKPOINT.
func (in *pgInsider) moment() {
	in.mu.Lock()
	defer in.mu.Unlock()
	dump := filepath.Join(in.dir, fmt.Sprintf("dump-%02d.sql", len(in.dumps)))
	in.c.dump(in.t, dump)
	in.dumps = append(in.dumps, dump)
	var last insiderState
	if len(in.states) > 0 {
		last = in.states[len(in.states)-1]
	}
	files, wal := in.c.disk(in.t)
	if n := len(in.poolOrder); n > 0 { // the search sees the pool rows where they are
		for _, id := range in.poolOrder[n-1] {
			in.res.aliveRows++
			if bytes.Contains(files, in.pool[id].box) {
				in.res.aliveFound++
			}
		}
	}
	for _, b := range [][]byte{files, wal} {
		d, l, p := leakCount(b, in.secrets, in.answers, last)
		in.res.draftHits += d
		in.res.liveLinks += l
		in.res.poolLeaks += p
		in.res.scanned += len(b)
	}
	in.res.scans++
}

func runPGAttackCycle(t *testing.T, control bool) pgAttackResult {
	ctx := context.Background()
	db := pgtest.Database(t)
	c := openPGCluster(t, db)
	res := &pgAttackResult{name: cycleName(control)}
	in := &pgInsider{t: t, c: c, raw: pgtest.OpenRaw(t, db), dir: tempDir(t, "dumps"), res: res,
		pool: map[int64]*pgPoolRow{}, respXmin: map[int64]int64{}, respCtid: map[int64]string{}, usedXmin: map[int64]int64{}, filenodes: map[string]string{}}
	opts := append(cycleOptions(control), survey.WithKeyFile(filepath.Join(t.TempDir(), "attack.key")), survey.WithCommitObserver(in.observe))
	st, err := survey.Open(ctx, db, opts...)
	must(t, err)
	defer st.Close()
	cy := runCycle(t, st, res.name, cycleHooks{
		secret: func(b []byte) { in.mu.Lock(); in.secrets = append(in.secrets, b); in.mu.Unlock() },
		answer: func(m string) { in.mu.Lock(); in.answers = append(in.answers, m); in.mu.Unlock() },
		backup: in.moment,
		closed: in.observe,
	})
	res.queuedMail, res.responses, res.commits, res.dumps = cy.queued, len(cy.truth), len(in.states), len(in.dumps)
	res.logLinks = cy.logLinks(t, in.secrets)

	// 1. The SQL state after every commit.
	res.sqlLinked, res.sqlSmallest = linkScore(t, res.name+" SQL state", linkAttack(in.states), cy.truth, attackK)
	// 2. The dumps, diffed.
	var dumped []insiderState
	var last []byte
	for _, f := range in.dumps {
		b, err := os.ReadFile(f)
		must(t, err)
		s := dumpState(t, b, "X01")
		dumped = append(dumped, s)
		d, l, p := leakCount(b, in.secrets, in.answers, s)
		res.draftHits, res.liveLinks, res.poolLeaks = res.draftHits+d, res.liveLinks+l, res.poolLeaks+p
		last = b
	}
	res.dumpLinked, res.dumpSmallest = linkScore(t, res.name+" dumps", linkAttack(dumped), cy.truth, attackK)
	// 3. Order inside each release.
	in.orderAttacks(cy.truth)
	// 4. After the close: released pool rows left in the data files.
	files, wal := c.disk(t)
	for _, r := range in.pool {
		res.poolRows++
		if bytes.Contains(files, r.box) {
			res.deadRows++
		}
	}
	// The searches can see what they look for: every released answer is in
	// the last dump, the data files and the WAL.
	for _, m := range in.answers {
		for what, b := range map[string][]byte{"last dump": last, "data files": files, "WAL": wal} {
			if !bytes.Contains(b, []byte(m)) {
				t.Errorf("%s: the released answer %s is not found in the %s: the byte search is blind", res.name, m, what)
			}
		}
	}
	return *res
}

// orderAttacks pairs, inside each release, the responses in id order (and
// in the WAL's insert order) with the pool rows it released in submission
// order, pool id order (and the WAL's delete order), and counts the
// responses paired with their true invitation.
func (in *pgInsider) orderAttacks(truth map[string]int64) {
	t, res := in.t, in.res
	wal, top := in.c.walReleases(t, in.filenodes)
	byXid := map[int64][]int64{} // transaction -> invitations it used
	for inv, x := range in.usedXmin {
		byXid[top(x)] = append(byXid[top(x)], inv)
	}
	seen := map[int64]bool{}
	for i := 1; i < len(in.states); i++ {
		for g, rs := range in.states[i].responses {
			var fresh []int64
			for id := range rs {
				if !seen[id] {
					seen[id] = true
					fresh = append(fresh, id)
				}
			}
			if len(fresh) == 0 {
				continue
			}
			xid := top(in.respXmin[fresh[0]]) // released under a savepoint: its subtransaction's parent
			gone := in.released(i, g, xid, byXid[xid])
			if len(gone) != len(fresh) {
				t.Errorf("%s: a release of %s stored %d responses and removed %d pool rows", res.name, g, len(fresh), len(gone))
				continue
			}
			res.releases++
			sort.Slice(fresh, func(a, b int) bool { return fresh[a] < fresh[b] })
			pair := func(invs []int64) (n int) {
				for j, id := range fresh {
					if truth[rs[id]] == invs[j] {
						n++
					}
				}
				return n
			}
			invs := func() []int64 {
				var out []int64
				for _, r := range gone {
					out = append(out, r.invitation)
				}
				return out
			}
			sort.SliceStable(gone, func(a, b int) bool { return gone[a].xmin < gone[b].xmin })
			res.bySubmission += pair(invs())
			sort.SliceStable(gone, func(a, b int) bool { return gone[a].id < gone[b].id })
			res.byPoolID += pair(invs())

			// The WAL: the release's heap inserts into responses, and its
			// deletes of pool rows, each traced to the transaction that
			// stored the row and so to the invitation it used.
			w := wal[xid]
			if w == nil {
				t.Errorf("%s: the release %d is not in the WAL", res.name, xid)
				continue
			}
			mine := map[string]int64{}
			for _, id := range fresh {
				mine[in.respCtid[id]] = id
			}
			var ins, dels []int64
			for _, c := range w.inserts {
				if id, ok := mine[c]; ok {
					ins = append(ins, id)
				}
			}
			for _, x := range w.deletes {
				for _, inv := range byXid[x] {
					if in.states[i].used[g][inv] {
						dels = append(dels, inv)
					}
				}
			}
			if len(ins) != len(fresh) || len(dels) != len(fresh) {
				t.Errorf("%s: the WAL of release %d shows %d inserts and %d deletes of its %d rows", res.name, xid, len(ins), len(dels), len(fresh))
				continue
			}
			res.walReleases++
			for j, id := range ins {
				if truth[rs[id]] == dels[j] {
					res.byWAL++
				}
			}
		}
	}
}

// released lists the pool rows of group g that the release xid at state i
// removed: those alive before and gone now, and those stored by the
// release's own transaction (a submission that completed the batch,
// never seen alive) — invitations used by xid without a pool row alive.
func (in *pgInsider) released(i int, g string, xid int64, usedByXid []int64) []*pgPoolRow {
	alive := map[int64]bool{}
	kept := map[int64]bool{} // invitations whose pool row is still waiting
	for _, id := range in.poolOrder[i] {
		alive[id] = true
		kept[in.pool[id].invitation] = true
	}
	var gone []*pgPoolRow
	for _, id := range in.poolOrder[i-1] {
		if r := in.pool[id]; !alive[id] && r.group == g {
			gone = append(gone, r)
		}
	}
	for _, inv := range usedByXid {
		if in.states[i].used[g][inv] && !kept[inv] {
			// Its pool id was never seen: the attacker ranks it last.
			gone = append(gone, &pgPoolRow{id: math.MaxInt64, xmin: xid, invitation: inv, group: g})
		}
	}
	return gone
}
