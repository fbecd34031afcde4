package survey

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// packedResponse selects a whole response row as one value: the small
// columns and the byte lengths as text, then the answers, sealed hour and
// device hash as raw bytes and the stratum last. go-sqlite3 and
// database/sql spend far more per column (a C call, an interface value and
// an allocation) than SQLite spends per row, so one column per row reads
// a national period several times faster than one per field.
const packedResponse = `id || '|' || unit_id || '|' || respondent_type || '|' || channel || '|' ||
	submitted_hour || '|' || COALESCE(duration_seconds, -1) || '|' || lang || '|' ||
	length(answers) || '|' || COALESCE(length(hour_sealed), 0) || '|' || COALESCE(length(device_hash), 0) || '|' ||
	answers || COALESCE(hour_sealed, x'') || COALESCE(device_hash, x'') || stratum`

// packedFields is the number of '|'-terminated text fields of packedResponse.
const packedFields = 10

// unpackResponse fills r from a packedResponse row. The slices in r point
// into row (or hourBuf) and are valid until the next row is read.
// The sealed hour's additional data is built in ad, reused across rows.
func (s *Store) unpackResponse(row []byte, periodID int64, r *StoredResponse, hourBuf, ad *[]byte, strata map[string]string) error {
	var f [packedFields][]byte
	rest := row
	for i := range f {
		j := bytes.IndexByte(rest, '|')
		if j < 0 {
			return fmt.Errorf("survey: response row of period %d: malformed", periodID)
		}
		f[i], rest = rest[:j], rest[j+1:]
	}
	r.ID, r.UnitID = int64(atoi(f[0])), int64(atoi(f[1]))
	r.Type, r.Channel, r.Lang = intern(f[2]), intern(f[3]), intern(f[6])
	r.Duration = atoi(f[5])
	na, ns, nd := atoi(f[7]), atoi(f[8]), atoi(f[9])
	if na+ns+nd > len(rest) {
		return fmt.Errorf("survey: response %d: malformed row", r.ID)
	}
	r.Answers, rest = rest[:na:na], rest[na:]
	sealed, dev, rest := rest[:ns], rest[ns:ns+nd:ns+nd], rest[ns+nd:]
	r.DeviceHash = nil
	if nd > 0 {
		r.DeviceHash = dev
	}
	r.Hour = parseHour(f[4])
	if ns > 0 {
		// The hour is sealed; the clear column holds the day only.
		*ad = appendHourAD((*ad)[:0], periodID, r.ID)
		h, err := s.hourSeal.Open(*hourBuf, sealed, *ad)
		if err != nil {
			return fmt.Errorf("survey: response %d: its hour cannot be opened with this key file: %w", r.ID, err)
		}
		*hourBuf = h
		r.Hour = parseHour(h)
	}
	r.Stratum = ""
	if len(rest) > 0 {
		st, ok := strata[string(rest)]
		if !ok {
			st = string(rest)
			strata[st] = st
		}
		r.Stratum = st
	}
	return nil
}

// ResponseSplits returns the number of a period's responses and the
// smallest id of each of parts near-equal id ranges, so that readers can
// scan the ranges in parallel into one slice sized up front: range i holds
// the ids from starts[i] up to starts[i+1]-1 and, unless responses arrive
// or go in between, exactly n*(i+1)/parts − n*i/parts rows.
func (s *Store) ResponseSplits(ctx context.Context, periodID int64, parts int) (n int, starts []int64, err error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, nil, fmt.Errorf("survey: response splits of period %d: %w", periodID, err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM responses WHERE period_id = ?`, periodID).Scan(&n); err != nil {
		return 0, nil, fmt.Errorf("survey: response splits of period %d: %w", periodID, err)
	}
	for i := range parts {
		if n == 0 {
			break
		}
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM responses WHERE period_id = ? ORDER BY id LIMIT 1 OFFSET ?`, periodID, n*i/parts).Scan(&id)
		if err != nil {
			return 0, nil, fmt.Errorf("survey: response splits of period %d: %w", periodID, err)
		}
		starts = append(starts, id)
	}
	return n, starts, nil
}

// appendHourAD appends hourAD(periodID, id) to dst without allocating
// (TestAppendHourAD holds them equal).
func appendHourAD(dst []byte, periodID, id int64) []byte {
	dst = append(dst, "hour|"...)
	dst = strconv.AppendInt(dst, periodID, 10)
	dst = append(dst, '|')
	return strconv.AppendInt(dst, id, 10)
}
