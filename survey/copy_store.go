package survey

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// copyTables are the tables CopyStore copies, parents before children.
// period_counts is kept by triggers as the responses arrive, server_nodes
// names the servers running now, key_check is
// written by the destination's own Open (and compared), and the schema's
// version is each engine's own. TestCopyTablesCoverSchema holds this list
// to the schema.
var copyTables = []string{
	"instruments", "periods", "units", "period_units", "roster", "invitations",
	"samples", "sample_members", "responses", "text_answers", "corrections", "quality_decisions",
	"users", "user_units", "sessions", "api_tokens", "login_attempts", "audit_log",
	"packet_builds", "packet_links", "packet_jobs", "packet_job_units", "deliveries",
	"action_plans", "org_settings", "whatsapp_sends", "mcp_scores", "pmprb_scores",
	"response_pool", "sealed_drafts", "reminder_counts", "open_nonces", "open_device_days",
	"open_link_counts", "response_batches",
}

// TableCopy is what CopyStore found for one table: its rows on both sides
// and the digest they share.
type TableCopy struct {
	Table  string
	Rows   int
	Digest string // hex SHA-256 over the sorted digests of the rows
}

// ErrNotEmpty refuses a copy into a database that already holds data.
var ErrNotEmpty = errors.New("survey: copy: the destination already holds periods, units or accounts")

// ErrKeyMismatch refuses a copy between stores sealed with different keys:
// the destination could not open what the source sealed.
var ErrKeyMismatch = errors.New("survey: copy: the two stores are not opened with the same key file")

// CopyStore copies every row of src into dst, an empty store opened with
// the same key file (migrate-store: a SQLite file into PostgreSQL), in one
// transaction of dst that commits only when each table's row count and
// digest match the source's. Ids are kept, so links, sealed data (whose
// additional data names the ids) and the audit log carry over unchanged;
// periods are written as drafts and given their status last, since a
// closed period's answers cannot be inserted.
func CopyStore(ctx context.Context, src, dst *Store) ([]TableCopy, error) {
	if !bytes.Equal(keyTag(src.key), keyTag(dst.key)) {
		return nil, ErrKeyMismatch
	}
	// One snapshot of the source: a server still writing to it would
	// otherwise fail the check (stop it first, as for restore).
	snap, err := src.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("survey: copy: %w", err)
	}
	defer snap.Rollback()
	var out []TableCopy
	err = dst.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM periods) + (SELECT count(*) FROM units) + (SELECT count(*) FROM users)`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrNotEmpty
		}
		for _, t := range copyTables {
			if err := copyTable(ctx, snap, tx, t); err != nil {
				return fmt.Errorf("survey: copy %s: %w", t, err)
			}
		}
		if err := copyFinish(ctx, snap, tx, dst.pg); err != nil {
			return fmt.Errorf("survey: copy: %w", err)
		}
		for _, t := range copyTables {
			a, err := tableDigest(ctx, snap, t)
			if err != nil {
				return fmt.Errorf("survey: copy: check %s in the source: %w", t, err)
			}
			b, err := tableDigest(ctx, tx, t)
			if err != nil {
				return fmt.Errorf("survey: copy: check %s in the destination: %w", t, err)
			}
			if a != b {
				return fmt.Errorf("survey: copy: %s differs after the copy: %d rows %s in the source, %d rows %s in the destination",
					t, a.Rows, a.Digest[:12], b.Rows, b.Digest[:12])
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// copyTable inserts every row of table from src in batches (by id order
// where the table has ids, so that a table's physical order in dst says
// no more than its ids do). Periods go in as drafts, units without their
// parent; copyFinish sets both.
func copyTable(ctx context.Context, src txQ, dst txQ, table string) error {
	rows, err := src.QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY 1`)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	// PostgreSQL takes at most 65,535 parameters per statement.
	per := max(1, min(500, 60000/len(cols)))
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	prefix := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		n := len(args) / len(cols)
		_, err := dst.ExecContext(ctx, prefix+strings.TrimSuffix(strings.Repeat(row+", ", n), ", "), args...)
		args = args[:0]
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range cols {
			switch {
			case table == "periods" && c == "status":
				vals[i] = StatusDraft
			case table == "units" && c == "parent_id":
				vals[i] = nil
			}
		}
		args = append(args, vals...)
		if len(args)/len(cols) >= per {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// copyFinish gives units their parents and periods their status, and on
// PostgreSQL moves each id sequence past the ids copied in.
func copyFinish(ctx context.Context, src txQ, dst txQ, pg bool) error {
	for _, q := range []struct{ read, write string }{
		{`SELECT parent_id, id FROM units WHERE parent_id IS NOT NULL`, `UPDATE units SET parent_id = ? WHERE id = ?`},
		{`SELECT status, id FROM periods WHERE status <> 'draft'`, `UPDATE periods SET status = ? WHERE id = ?`},
	} {
		rows, err := src.QueryContext(ctx, q.read)
		if err != nil {
			return err
		}
		var pairs [][2]any
		for rows.Next() {
			var v any
			var id int64
			if err := rows.Scan(&v, &id); err != nil {
				rows.Close()
				return err
			}
			pairs = append(pairs, [2]any{v, id})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range pairs {
			if _, err := dst.ExecContext(ctx, q.write, p[0], p[1]); err != nil {
				return err
			}
		}
	}
	if !pg {
		return nil
	}
	for _, t := range copyTables {
		var seq sql.NullString
		err := dst.QueryRowContext(ctx, `SELECT pg_get_serial_sequence(table_name, column_name) FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'id'`, t).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) || err == nil && !seq.Valid {
			continue // no id column, or ids drawn at random (responses, the pool)
		}
		if err != nil {
			return err
		}
		if _, err := dst.ExecContext(ctx, `SELECT setval(?, max(id)) FROM `+t+` HAVING max(id) IS NOT NULL`, seq.String); err != nil {
			return err
		}
	}
	return nil
}

// tableDigest counts a table's rows and digests them in an order that
// neither engine's collation decides: each row's values are written out
// (integers and text as themselves, reals in their shortest exact form,
// bytes in hex), hashed, and the row hashes sorted and hashed again.
func tableDigest(ctx context.Context, q txQ, table string) (TableCopy, error) {
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+table+` LIMIT 0`)
	if err != nil {
		return TableCopy{}, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return TableCopy{}, err
	}
	slices.Sort(cols) // the same columns, whatever order each engine keeps them in
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
	if err != nil {
		return TableCopy{}, err
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var sums [][sha256.Size]byte
	var b []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return TableCopy{}, err
		}
		b = b[:0]
		for i, v := range vals {
			b = append(b, cols[i]...)
			b = append(b, '=')
			switch v := v.(type) {
			case nil:
				b = append(b, "NULL"...)
			case int64:
				b = strconv.AppendInt(b, v, 10)
			case float64:
				if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
					b = strconv.AppendInt(b, int64(v), 10)
				} else {
					b = strconv.AppendFloat(b, v, 'g', -1, 64)
				}
			case string:
				b = strconv.AppendQuote(b, v)
			case []byte:
				b = append(b, 'x')
				b = hex.AppendEncode(b, v)
			default:
				return TableCopy{}, fmt.Errorf("column %s: a value of type %T", cols[i], v)
			}
			b = append(b, '\t')
		}
		sums = append(sums, sha256.Sum256(b))
	}
	if err := rows.Err(); err != nil {
		return TableCopy{}, err
	}
	slices.SortFunc(sums, func(x, y [sha256.Size]byte) int { return bytes.Compare(x[:], y[:]) })
	h := sha256.New()
	for _, s := range sums {
		h.Write(s[:])
	}
	return TableCopy{Table: table, Rows: len(sums), Digest: hex.EncodeToString(h.Sum(nil))}, nil
}
