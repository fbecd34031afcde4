package survey

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The pool (issue 11): an acknowledged submission is first written, in the
// transaction that marks its invitation used, into response_pool — sealed
// with a key derived from the key file, under a random id. Only later is a
// shuffled batch of at least k submissions of one period, unit and type
// released into responses, with random ids, and the released pool rows are
// overwritten (secure_delete) and the WAL truncated. So neither the file,
// its WAL replayed commit by commit, nor two backups compared tie an
// invitation to a response better than chance among the batch.

// poolPayload is a submission as sealed into the pool.
type poolPayload struct {
	Channel  string            `json:"c"`
	Hour     string            `json:"h"` // 2006-01-02T15
	Duration int               `json:"d"` // -1: unknown
	Lang     string            `json:"l"`
	Device   []byte            `json:"v,omitempty"`
	Stratum  string            `json:"s,omitempty"`
	Answers  []byte            `json:"a"`
	Texts    map[string]string `json:"t,omitempty"`
}

// padQuantum is the size drafts are padded to (a multiple of), so that a
// draft's size says little about its answers. Pool rows are padded to
// their instrument's largest submission instead (pool_codec.go): a pool
// row's size must say nothing about the answer it hides, which would
// otherwise be matched by length against the released response's texts.
const padQuantum = 16 << 10

// pad prefixes b with its length and pads it with zeros to a multiple of
// padQuantum.
func pad(b []byte) []byte {
	n := (4 + len(b) + padQuantum - 1) / padQuantum * padQuantum
	out := make([]byte, n)
	binary.BigEndian.PutUint32(out, uint32(len(b)))
	copy(out[4:], b)
	return out
}

func unpad(b []byte) ([]byte, error) {
	if len(b) < 4 {
		return nil, errors.New("survey: padded value too short")
	}
	n := binary.BigEndian.Uint32(b)
	if int(n) > len(b)-4 {
		return nil, errors.New("survey: padded value malformed")
	}
	return b[4 : 4+n], nil
}

// randomID is a random positive id below 2^53 (exact in JavaScript and in
// JSON numbers read as doubles): ids in insertion order would tell which
// response came when.
func randomID() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])>>11) + 1
}

// batchBase is the first id of a batch of n responses: a random place,
// then consecutive ids in the batch's (shuffled) order. Ids thus say
// nothing of submission order, while a batch lands in a few pages of the
// table and its indexes (a random id per row touched a page per row, and
// the WAL grew tenfold).
func batchBase(n int) int64 {
	const limit = 1<<53 - 1<<32
	if n >= 1<<32 {
		return 1
	}
	return randomID()%limit + 1
}

// poolAD binds a sealed pool payload to its row.
func poolAD(periodID, unitID int64, typ string, id int64) []byte {
	return []byte("pool|" + strconv.FormatInt(periodID, 10) + "|" + strconv.FormatInt(unitID, 10) + "|" + typ + "|" + strconv.FormatInt(id, 10))
}

// sealBufs are the committer's buffers for a pool row's plaintext and
// sealed box: a row is as large as its instrument's largest submission
// (tens of KiB), and two fresh ones per answer were most of the writer's
// garbage. The box is only valid until the next seal; the driver copies
// bound values.
type sealBufs struct{ plain, box []byte }

// sealSubmission encodes, pads to size (poolSize of the period's
// instrument and the response's type) and seals a response for the pool
// row id, in buf's memory. It first checks what the responses table's
// constraints will check at release: a row that could not be released
// would hold its whole group.
func (s *Store) sealSubmission(buf *sealBufs, r *NewResponse, hour string, id int64, size int) ([]byte, error) {
	if n := len(r.Answers.Vector); n < 1 || n > 1000 {
		return nil, fmt.Errorf("answers: %d items, want 1 to 1000", n)
	}
	for code, body := range r.Answers.Texts {
		if n := utf8.RuneCountInString(body); n < 1 || n > MaxTextLen {
			return nil, fmt.Errorf("text %s: %d characters, want 1 to %d", code, n, MaxTextLen)
		}
	}
	dur := -1
	if r.Duration >= 0 {
		dur = min(r.Duration, maxDuration)
	}
	lang := r.Lang
	if lang != "en" {
		lang = "id"
	}
	buf.plain = encodePool(buf.plain, &poolPayload{Channel: r.Channel, Hour: hour, Duration: dur, Lang: lang, Device: r.DeviceHash,
		Stratum: r.Answers.Stratum, Answers: r.Answers.Vector, Texts: r.Answers.Texts}, size)
	buf.box = s.poolSeal.SealTo(buf.box, buf.plain, poolAD(r.PeriodID, r.UnitID, r.Type, id))
	return buf.box, nil
}

// group is one period, unit and respondent type: the pool releases within it.
type group struct {
	period, unit int64
	typ          string
}

// periodK is a period's k (min_group, default 5, never below 3), read
// inside the transaction so a release never uses a stale one.
func periodK(ctx context.Context, tx txQ, periodID int64) (int, error) {
	var settings string
	if err := tx.QueryRowContext(ctx, `SELECT settings FROM periods WHERE id = ?`, periodID).Scan(&settings); err != nil {
		return 0, err
	}
	return minGroup(settings), nil
}

// minGroup is k for a period's settings: their min_group, never below 3;
// 5 when unset, or when the settings do not parse or min_group is not a
// whole number. Read in Go rather than by SQL, whose JSON functions
// differ between SQLite and PostgreSQL.
func minGroup(settings string) int {
	var s struct {
		MinGroup *float64 `json:"min_group"`
	}
	json.Unmarshal([]byte(settings), &s)
	switch k := s.MinGroup; {
	case k == nil || *k != math.Trunc(*k) || *k > 1e6:
		return 5
	case *k < 3:
		return 3
	default:
		return int(*k)
	}
}

// releasePlan says how many of n waiting submissions to release now. By
// default the pool waits for 2k and releases all but k chosen at random,
// so that every batch — the last one at close included — holds at least k.
// WithPoolRelease(n) releases everything once n wait (tests; n = 1 is the
// deliberately linking control of the anonymity attack suite).
func (s *Store) releasePlan(k, n int, all bool) int {
	switch {
	case all:
		return n
	case s.poolRelease > 0 && n >= s.poolRelease:
		return n
	case s.poolRelease > 0:
		return 0
	case n >= 2*k:
		return n - k
	}
	return 0
}

// releaseGroup releases the due part of a group's pool (all of it when
// all), in random order, and returns how many responses it stored.
func (s *Store) releaseGroup(ctx context.Context, tx txQ, g group, all bool) (int, error) {
	k, err := periodK(ctx, tx, g.period)
	if err != nil {
		return 0, err
	}
	ids, n, err := s.duePool(ctx, tx, g, k, all)
	if err != nil || n == 0 {
		return 0, err
	}
	return n, s.releaseIDs(ctx, tx, g, ids, n)
}

// duePool lists a group's waiting submissions and how many of them are due
// for release (releasePlan). It only reads: most batches leave the pool
// short of its release, and need no savepoint for it.
func (s *Store) duePool(ctx context.Context, tx txQ, g group, k int, all bool) (ids []int64, n int, err error) {
	// The waiting ids first, from the group's index alone: a release
	// opens only the rows it releases, not the k it keeps back.
	if ids, err = poolIDs(ctx, tx, g); err != nil {
		return nil, 0, err
	}
	return ids, s.releasePlan(k, len(ids), all), nil
}

// releaseIDs releases n of the group's waiting submissions ids, chosen and
// stored in random order.
func (s *Store) releaseIDs(ctx context.Context, tx txQ, g group, ids []int64, n int) error {
	var seed [32]byte
	rand.Read(seed[:])
	mrand.New(mrand.NewChaCha8(seed)).Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	// The statements name the chosen rows in id order: in the shuffled
	// order the responses take, a statement log (PostgreSQL's
	// log_statement) would pair each pool row with its response.
	chosen := idList(slices.Sorted(slices.Values(ids[:n])))
	batch, err := s.openPooled(ctx, tx, g, ids[:n], chosen)
	if err != nil {
		return err
	}
	// The day in the clear is the batch's last: a day per response would
	// split the batch by the days its invitations were used.
	day := ""
	for _, p := range batch {
		if len(p.Hour) >= 10 && p.Hour[:10] > day {
			day = p.Hour[:10]
		}
	}
	ins := newResponseInsert(tx)
	base := batchBase(len(batch))
	for i, p := range batch {
		r := NewResponse{PeriodID: g.period, UnitID: g.unit, Type: g.typ, Channel: p.Channel, Duration: p.Duration, Lang: p.Lang,
			DeviceHash: p.Device, Answers: Answers{Vector: p.Answers, Texts: p.Texts, Stratum: p.Stratum}}
		if err := ins.insert(ctx, s, &r, p.Hour, day, base+int64(i)); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, s.sqlDeletePooled(), chosen); err != nil {
		return err
	}
	return ins.flush(ctx)
}

// The released pool rows are read, and deleted, by one statement each
// over the list of their ids (idList) rather than one per row: a commit
// that releases a group ran two statements per response released.
func (s *Store) sqlReadPooled() string {
	return `SELECT id, sealed FROM response_pool WHERE id IN (` + s.idsOf() + `)`
}
func (s *Store) sqlDeletePooled() string {
	return `DELETE FROM response_pool WHERE id IN (` + s.idsOf() + `)`
}

// idsOf is the subquery listing the ids of an idList parameter, in each
// engine's JSON functions.
func (s *Store) idsOf() string {
	if s.pg {
		return `SELECT value::bigint FROM json_array_elements_text(?::json)`
	}
	return `SELECT value FROM json_each(?)`
}

// idList is ids as a JSON array, for idsOf.
func idList(ids []int64) string {
	b := make([]byte, 0, 2+17*len(ids))
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// poolIDs lists the ids of a group's waiting submissions.
func poolIDs(ctx context.Context, tx txQ, g group) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM response_pool WHERE period_id = ? AND unit_id = ? AND respondent_type = ?`,
		g.period, g.unit, g.typ)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// openPooled reads and opens the pool rows ids (list: idList(ids)) of
// group g, in the order of ids.
func (s *Store) openPooled(ctx context.Context, tx txQ, g group, ids []int64, list string) ([]poolPayload, error) {
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	batch := make([]poolPayload, len(ids))
	rows, err := tx.QueryContext(ctx, s.sqlReadPooled(), list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var pt []byte // decodePool copies what it keeps: one plaintext buffer serves every row
	found := 0
	for rows.Next() {
		var id int64
		var box sql.RawBytes
		if err := rows.Scan(&id, &box); err != nil {
			return nil, err
		}
		out, err := s.poolSeal.Open(pt, box, poolAD(g.period, g.unit, g.typ, id))
		if err == nil {
			pt = out
			batch[at[id]], err = decodePool(pt)
		}
		if err != nil {
			return nil, fmt.Errorf("pool row of unit %d (is this the database's key file?): %w", g.unit, err)
		}
		found++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if found != len(ids) {
		return nil, fmt.Errorf("pool rows of unit %d: %d of %d: %w", g.unit, found, len(ids), sql.ErrNoRows)
	}
	return batch, rows.Close()
}

// releaseGroups releases what is due in the groups, in one transaction,
// then truncates the WAL so the pool rows' old frames go with it.
func (s *Store) releaseGroups(ctx context.Context, gs []group, all bool) (int, error) {
	total := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, g := range gs {
			n, err := s.releaseGroup(ctx, tx, g, all)
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("survey: release pool: %w", err)
	}
	if total > 0 {
		s.truncateWAL(ctx)
	}
	return total, nil
}

// poolGroups lists the groups with submissions waiting (of one period, or
// of all when periodID is 0).
func poolGroups(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, periodID int64) ([]group, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT p.period_id, p.unit_id, p.respondent_type FROM response_pool p
		JOIN periods x ON x.id = p.period_id WHERE x.status <> 'closed' AND (? = 0 OR p.period_id = ?) ORDER BY 1, 2, 3`, periodID, periodID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []group
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.period, &g.unit, &g.typ); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// ReleaseDue releases every group whose pool has reached its batch size:
// at start (after a crash between a submission and its release) and by
// the committer after each batch.
func (s *Store) ReleaseDue(ctx context.Context) (int, error) {
	gs, err := poolGroups(ctx, s.w, 0)
	if err != nil {
		return 0, fmt.Errorf("survey: release pool: %w", err)
	}
	return s.releaseGroups(ctx, gs, false)
}

// truncateWAL checkpoints the WAL into the database file and truncates it,
// so that frames holding released pool rows (and the commits that joined
// an invitation to its pool row) are gone from the -wal file. Best effort:
// a reader on an old snapshot leaves it for the next release.
// PostgreSQL's WAL is the cluster's own (README, Operations).
func (s *Store) truncateWAL(ctx context.Context) {
	if s.pg {
		return
	}
	s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	s.observe()
}

// observe tells a test's commit observer (WithCommitObserver) that a
// transaction committed.
func (s *Store) observe() {
	if s.commitObserver != nil {
		s.commitObserver()
	}
}

// PoolWaiting counts a period's submissions waiting in the pool, per unit
// id and type: acknowledged answers not yet in results.
func (s *Store) PoolWaiting(ctx context.Context, periodID int64) (map[int64]map[string]int, int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT unit_id, respondent_type, count(*) FROM response_pool WHERE period_id = ? GROUP BY 1, 2`, periodID)
	if err != nil {
		return nil, 0, fmt.Errorf("survey: pool: %w", err)
	}
	defer rows.Close()
	out, total := map[int64]map[string]int{}, 0
	for rows.Next() {
		var unit int64
		var t string
		var n int
		if err := rows.Scan(&unit, &t, &n); err != nil {
			return nil, 0, fmt.Errorf("survey: pool: %w", err)
		}
		if out[unit] == nil {
			out[unit] = map[string]int{}
		}
		out[unit][t] = n
		total += n
	}
	return out, total, rows.Err()
}
