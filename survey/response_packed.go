package survey

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// packedResponse selects a whole response row as one value: four
// '|'-terminated numbers, then the answers, the hour (sealed, or the clear
// hour of a row stored before hours were sealed), the device hash and the
// stratum as raw bytes. go-sqlite3 and database/sql spend far more per
// column (a C call, an interface value and an allocation) than SQLite
// spends per row, so one column per row reads a national period several
// times faster than one per field. Inside SQLite each || copies the string
// so far and each number is formatted, so the small fields travel as few
// numbers: the type, channel and language as codes (their CHECKs allow
// only the values of packedTypes, packedChannels and packedLangs) with the
// flag of a clear hour, and the duration with the byte lengths in one
// integer (the answers' CHECK bounds them to 1000 bytes, the device
// hash's to 32; hours are 41 bytes sealed, 13 clear). results.Load of
// BenchmarkNationalPeriod's 500,000 responses took 0.67–1.07 CPU-s
// instead of 0.94–1.31 with every field as its own text (7 loads each,
// alternated, load average 5; SQLite alone, one query: 0.83 vs 1.00).
const packedResponse = `id || '|' || unit_id || '|' ||
	((((CASE respondent_type WHEN 'internal' THEN 0 WHEN 'external' THEN 1 ELSE 2 END) * 3 +
	(CASE channel WHEN 'invitation' THEN 0 WHEN 'open' THEN 1 ELSE 2 END)) * 2 + (lang = 'en')) * 2 + (hour_sealed IS NULL)) || '|' ||
	((((COALESCE(duration_seconds, -1) + 1) * 1024 + length(answers)) * 65536 + length(COALESCE(hour_sealed, submitted_hour))) * 64 +
	COALESCE(length(device_hash), 0)) || '|' ||
	answers || COALESCE(hour_sealed, submitted_hour) || COALESCE(device_hash, x'') || stratum`

// packedResponsePG is packedResponse in PostgreSQL, where text and bytea
// do not mix: the same bytes, as one bytea.
const packedResponsePG = `convert_to(id || '|' || unit_id || '|' ||
	((((CASE respondent_type WHEN 'internal' THEN 0 WHEN 'external' THEN 1 ELSE 2 END) * 3 +
	(CASE channel WHEN 'invitation' THEN 0 WHEN 'open' THEN 1 ELSE 2 END)) * 2 + (lang = 'en')::int) * 2 + (hour_sealed IS NULL)::int) || '|' ||
	((((COALESCE(duration_seconds, -1) + 1) * 1024 + length(answers)) * 65536 + COALESCE(length(hour_sealed), length(submitted_hour))) * 64 +
	COALESCE(length(device_hash), 0)) || '|', 'UTF8') ||
	answers || COALESCE(hour_sealed, convert_to(submitted_hour, 'UTF8')) || COALESCE(device_hash, ''::bytea) || convert_to(stratum, 'UTF8')`

// packed is the store's packedResponse expression.
func (s *Store) packed() string {
	if s.pg {
		return packedResponsePG
	}
	return packedResponse
}

// packedFields is the number of '|'-terminated numbers of packedResponse.
const packedFields = 4

// packedTypes, packedChannels and packedLangs are the values
// packedResponse codes as numbers, in its order.
var (
	packedTypes    = [3]string{Internal, External, Expert}
	packedChannels = [3]string{ChannelInvitation, ChannelOpen, ChannelPaper}
	packedLangs    = [2]string{"id", "en"}
)

// unpackResponse fills r from a packedResponse row. The slices in r point
// into row (or hourBuf) and are valid until the next row is read.
// The sealed hour's additional data is built in ad, reused across rows.
func (s *Store) unpackResponse(row []byte, periodID int64, r *StoredResponse, hourBuf, ad *[]byte, strata map[string]string) error {
	var f [packedFields]int64
	rest := row
	for i := range f {
		j := bytes.IndexByte(rest, '|')
		if j < 0 {
			return fmt.Errorf("survey: response row of period %d: malformed", periodID)
		}
		f[i], rest = int64(atoi(rest[:j])), rest[j+1:]
	}
	r.ID, r.UnitID = f[0], f[1]
	code, sizes := f[2], f[3]
	clearHour := code%2 == 1
	code /= 2
	r.Lang = packedLangs[code%2]
	code /= 2
	if code < 0 || code >= 9 {
		return fmt.Errorf("survey: response %d: malformed row", r.ID)
	}
	r.Type, r.Channel = packedTypes[code/3], packedChannels[code%3]
	nd := int(sizes % 64)
	sizes /= 64
	nh := int(sizes % 65536)
	sizes /= 65536
	na := int(sizes % 1024)
	r.Duration = int(sizes/1024) - 1
	if na+nh+nd > len(rest) {
		return fmt.Errorf("survey: response %d: malformed row", r.ID)
	}
	r.Answers, rest = rest[:na:na], rest[na:]
	hour, dev, rest := rest[:nh], rest[nh:nh+nd:nh+nd], rest[nh+nd:]
	r.DeviceHash = nil
	if nd > 0 {
		r.DeviceHash = dev
	}
	if clearHour {
		r.Hour = parseHour(hour)
	} else {
		// The hour is sealed; the clear column holds the day only.
		*ad = appendHourAD((*ad)[:0], periodID, r.ID)
		h, err := s.hourSeal.Open(*hourBuf, hour, *ad)
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
	// The count the triggers keep (0017_period_counts.sql): counting a
	// national period's rows took 15–17 ms of CPU, serial before the
	// parallel read, against 6 ms for the split's offset below.
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT responses FROM period_counts WHERE period_id = ?), 0)`, periodID).Scan(&n); err != nil {
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
