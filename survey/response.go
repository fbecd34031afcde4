package survey

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Response channels.
const (
	ChannelInvitation = "invitation"
	ChannelOpen       = "open"
	ChannelPaper      = "paper"
)

// NewResponse is a validated response to store. It carries nothing that
// identifies the respondent: no token, roster row, address or exact time.
type NewResponse struct {
	PeriodID   int64
	UnitID     int64
	Type       string
	Channel    string
	Submitted  time.Time // stored to the day in the clear, the hour sealed
	Duration   int       // completion seconds; negative when unknown
	Lang       string
	DeviceHash []byte // salted fingerprint of an open-link device, or nil
	Answers    Answers
}

// InsertResponses stores responses in one transaction: all or none. They
// bypass the pool (paper and imported answers name nobody) but, like
// released ones, get random ids and a sealed hour.
func (s *Store) InsertResponses(ctx context.Context, rs []NewResponse) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		ins := newResponseInsert(tx)
		base := batchBase(len(rs))
		for i := range rs {
			h := hourOf(rs[i].Submitted)
			if err := ins.insert(ctx, s, &rs[i], h, h[:10], base+int64(i)); err != nil {
				return fmt.Errorf("response %d: %w", i+1, err)
			}
			if s.afterStatement != nil {
				s.afterStatement(i + 1)
			}
		}
		return ins.flush(ctx)
	})
	if err != nil {
		return fmt.Errorf("survey: insert responses: %w", err)
	}
	return nil
}

// The statements that store a response run as raw SQL, so the writer
// connection's statement cache (_stmt_cache_size) prepares them once, not
// once per release or import.
const (
	// ON CONFLICT DO NOTHING: a random id that is taken inserts nothing,
	// and another is drawn.
	sqlInsertResponse = `INSERT INTO responses
		(id, period_id, unit_id, respondent_type, channel, submitted_hour, hour_sealed, duration_seconds, lang, device_hash, stratum, answers)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	sqlInsertText = `INSERT INTO text_answers (response_id, item_code, body) VALUES (?, ?, ?)`
)

// responseInsert stores the responses of one released group or one
// import, and the id ranges they took under one batch number per period
// (response_batches.go): a batch number is shared by rows stored together,
// never a mark of one response's arrival. flush writes the ranges and must
// run before the transaction commits.
type responseInsert struct {
	tx     txQ
	ranges []idRange // in the order the rows were stored
}

func newResponseInsert(tx txQ) *responseInsert { return &responseInsert{tx: tx} }

// insert stores one response under id (another random one when it is
// taken), with hour (2006-01-02T15) sealed and only day (2006-01-02) in the
// clear.
func (ri *responseInsert) insert(ctx context.Context, s *Store, r *NewResponse, hour, day string, id int64) error {
	var dur any
	if r.Duration >= 0 {
		dur = min(r.Duration, maxDuration)
	}
	var dev any
	if len(r.DeviceHash) > 0 {
		dev = r.DeviceHash
	}
	lang := r.Lang
	if lang != "en" {
		lang = "id"
	}
	for try := 0; ; try++ {
		if try > 0 {
			id = randomID()
		}
		res, err := ri.tx.ExecContext(ctx, sqlInsertResponse, id, r.PeriodID, r.UnitID, r.Type, r.Channel, dayOnly(day),
			s.hourSeal.Seal([]byte(hour), hourAD(r.PeriodID, id)), dur, lang, dev, r.Answers.Stratum, r.Answers.Vector)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			break
		}
		if try == 8 {
			return errors.New("survey: no free response id")
		}
	}
	ri.record(r.PeriodID, id)
	for code, body := range r.Answers.Texts {
		if _, err := ri.tx.ExecContext(ctx, sqlInsertText, id, code, body); err != nil {
			return err
		}
	}
	return nil
}

// StoredResponse is a response as read back for analysis and export.
type StoredResponse struct {
	ID         int64
	UnitID     int64
	Type       string
	Channel    string
	Hour       time.Time
	Duration   int // -1 when unknown
	Lang       string
	DeviceHash []byte
	Stratum    string
	Answers    []byte
}

// EachResponse streams a period's responses in id order. The slices in the
// value passed to fn are only valid during the call; copy what you keep.
// This is the analysis hot path (500,000 rows): text columns are read as raw
// bytes and mapped to shared strings instead of allocating per row.
func (s *Store) EachResponse(ctx context.Context, periodID int64, fn func(*StoredResponse) error) error {
	return s.EachResponseIn(ctx, periodID, 0, math.MaxInt64, fn)
}

// ResponseIDRange returns the smallest and largest response id of a period
// (0, -1 when it has none), so that readers can split a scan.
func (s *Store) ResponseIDRange(ctx context.Context, periodID int64) (lo, hi int64, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT COALESCE(min(id), 0), COALESCE(max(id), -1) FROM responses WHERE period_id = ?`, periodID).Scan(&lo, &hi)
	if err != nil {
		return 0, -1, fmt.Errorf("survey: response ids of period %d: %w", periodID, err)
	}
	return lo, hi, nil
}

// EachResponseIn is EachResponse over the ids lo..hi inclusive; scans of
// disjoint ranges may run in parallel on the read pool.
func (s *Store) EachResponseIn(ctx context.Context, periodID, lo, hi int64, fn func(*StoredResponse) error) error {
	return s.eachResponse(ctx, periodID, `AND id BETWEEN ? AND ? ORDER BY id`, []any{lo, hi}, fn)
}

// EachResponseBlind streams a period's responses in an order that says
// nothing of when each was submitted (by unit, type and answers), for
// exports: id order is submission order, which could be matched against
// other records of who answered when.
func (s *Store) EachResponseBlind(ctx context.Context, periodID int64, fn func(*StoredResponse) error) error {
	return s.eachResponse(ctx, periodID, `ORDER BY unit_id, respondent_type, answers, duration_seconds, channel`, nil, fn)
}

// eachResponse streams the packedResponse rows of a period's responses
// (WHERE period_id = ? and tail, with args) to fn. The rows come from the
// driver itself (sql.Conn.Raw): database/sql's rows add, per row, locks,
// a context check and a conversion to what the driver already returned,
// a tenth of a national period's scan (500,000 rows, one core, alternated
// three times each: 0.58–0.60 CPU-s instead of 0.64–0.67).
func (s *Store) eachResponse(ctx context.Context, periodID int64, tail string, args []any, fn func(*StoredResponse) error) error {
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return fmt.Errorf("survey: responses of period %d: %w", periodID, err)
	}
	defer conn.Close()
	named := []driver.NamedValue{{Ordinal: 1, Value: periodID}}
	for i, a := range args {
		named = append(named, driver.NamedValue{Ordinal: i + 2, Value: a})
	}
	return conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("survey: responses of period %d: driver connection %T cannot query", periodID, dc)
		}
		rows, err := q.QueryContext(ctx, `SELECT `+s.packed()+` FROM responses WHERE period_id = ? `+tail, named)
		if err != nil {
			return fmt.Errorf("survey: responses of period %d: %w", periodID, err)
		}
		defer rows.Close()
		dest := make([]driver.Value, 1)
		var row []byte
		return s.scanPacked(periodID, func() ([]byte, error) {
			if err := rows.Next(dest); err != nil {
				return nil, err
			}
			switch v := dest[0].(type) {
			case string:
				row = append(row[:0], v...)
			case []byte:
				row = append(row[:0], v...)
			default:
				return nil, fmt.Errorf("packed row of type %T", v)
			}
			return row, nil
		}, fn)
	})
}

// sqlRows returns the packedResponse rows of rows one by one, for
// scanPacked.
func sqlRows(rows *sql.Rows) func() ([]byte, error) {
	var row sql.RawBytes
	return func() ([]byte, error) {
		if !rows.Next() {
			if err := rows.Err(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		err := rows.Scan(&row)
		return row, err
	}
}

// scanPacked calls fn with each packedResponse row next returns, until
// io.EOF.
func (s *Store) scanPacked(periodID int64, next func() ([]byte, error), fn func(*StoredResponse) error) error {
	var r StoredResponse
	var hourBuf, ad []byte
	strata := map[string]string{}
	for {
		row, err := next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("survey: responses of period %d: %w", periodID, err)
		}
		if err := s.unpackResponse(row, periodID, &r, &hourBuf, &ad, strata); err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
}

// atoi reads a small signed integer.
func atoi(b []byte) int {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	v := 0
	for _, c := range b {
		v = v*10 + int(c-'0')
	}
	if neg {
		return -v
	}
	return v
}

// parseHour reads "2006-01-02T15" without time.Parse's generality; the
// column's CHECK constraint guarantees the shape.
func parseHour(b []byte) time.Time {
	if len(b) != 13 {
		t, _ := time.Parse("2006-01-02T15", string(b))
		return t
	}
	n := func(i, j int) int {
		v := 0
		for _, c := range b[i:j] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	return time.Date(n(0, 4), time.Month(n(5, 7)), n(8, 10), n(11, 13), 0, 0, 0, time.UTC)
}

// ResponseCounts returns the number of responses per unit id and type.
func (s *Store) ResponseCounts(ctx context.Context, periodID int64) (map[int64]map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT unit_id, respondent_type, count(*) FROM responses WHERE period_id = ? GROUP BY 1, 2`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: response counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]int{}
	for rows.Next() {
		var unit int64
		var t string
		var n int
		if err := rows.Scan(&unit, &t, &n); err != nil {
			return nil, fmt.Errorf("survey: response counts: %w", err)
		}
		if out[unit] == nil {
			out[unit] = map[string]int{}
		}
		out[unit][t] = n
	}
	return out, rows.Err()
}

// TextAnswer is one free-text answer with the group it belongs to.
type TextAnswer struct {
	ResponseID int64
	UnitID     int64
	Type       string
	Item       string
	Body       string
}

// TextAnswers lists a period's free-text answers by unit and type. Callers
// must apply the minimum group size for text (k_text) before showing them.
func (s *Store) TextAnswers(ctx context.Context, periodID int64) ([]TextAnswer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT t.response_id, r.unit_id, r.respondent_type, t.item_code, t.body
		FROM text_answers t JOIN responses r ON r.id = t.response_id WHERE r.period_id = ? ORDER BY r.unit_id, t.item_code, t.response_id`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: text answers: %w", err)
	}
	defer rows.Close()
	var out []TextAnswer
	for rows.Next() {
		var t TextAnswer
		if err := rows.Scan(&t.ResponseID, &t.UnitID, &t.Type, &t.Item, &t.Body); err != nil {
			return nil, fmt.Errorf("survey: text answers: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
