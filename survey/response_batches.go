package survey

import (
	"context"
	"database/sql"
	"fmt"
)

// idRange is the last id range a responseInsert recorded.
type idRange struct {
	period, hi int64
	rowid      int64 // of its response_batches row; 0 before the first
}

// batch is the number of this insert's batch in period: one more than the
// period's last, drawn at its first row (writers are serialised, so numbers
// grow in commit order and a reader that sees batch b sees every batch
// before it).
func (ri *responseInsert) batch(ctx context.Context, period int64) (int64, error) {
	if b, ok := ri.batches[period]; ok {
		return b, nil
	}
	var b int64
	if err := ri.tx.QueryRowContext(ctx, `SELECT COALESCE(max(batch), 0) + 1 FROM response_batches WHERE period_id = ?`, period).Scan(&b); err != nil {
		return 0, err
	}
	ri.batches[period] = b
	return b, nil
}

// record adds the response id to its batch's id ranges: a batch's ids are
// consecutive from a random place, so a release is one range (a redrawn,
// taken id starts another).
func (ri *responseInsert) record(ctx context.Context, period, id int64) error {
	if ri.rng.rowid != 0 && ri.rng.period == period && id == ri.rng.hi+1 {
		if _, err := ri.tx.ExecContext(ctx, `UPDATE response_batches SET hi = ? WHERE rowid = ?`, id, ri.rng.rowid); err != nil {
			return err
		}
		ri.rng.hi = id
		return nil
	}
	b, err := ri.batch(ctx, period)
	if err != nil {
		return err
	}
	res, err := ri.tx.ExecContext(ctx, `INSERT INTO response_batches (period_id, batch, lo, hi) VALUES (?, ?, ?, ?)`, period, b, id, id)
	if err != nil {
		return err
	}
	rowid, err := res.LastInsertId()
	if err != nil {
		return err
	}
	ri.rng = idRange{period: period, hi: id, rowid: rowid}
	return nil
}

// EachResponseAfter streams, from one snapshot, a period's responses of
// the batches after batch (in id order), and returns the period's last
// batch number and the number of responses streamed. A reader that held
// every response up to batch, and knows the period's count (DataVersion),
// checks that it is missing none but these.
func (s *Store) EachResponseAfter(ctx context.Context, periodID, batch int64, fn func(*StoredResponse) error) (last int64, n int, err error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, 0, fmt.Errorf("survey: responses of period %d: %w", periodID, err)
	}
	defer tx.Rollback()
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(max(batch), 0) FROM response_batches WHERE period_id = ?`, periodID).Scan(&last)
	if err != nil {
		return 0, 0, fmt.Errorf("survey: responses of period %d: %w", periodID, err)
	}
	// Driven from the ranges: each is a seek into the responses' primary
	// key, so the read costs the new batches, not the period.
	rows, err := tx.QueryContext(ctx, `SELECT `+packedResponse+` FROM response_batches x CROSS JOIN responses r
		ON r.id BETWEEN x.lo AND x.hi WHERE x.period_id = ? AND x.batch > ? AND r.period_id = x.period_id ORDER BY r.id`,
		periodID, batch)
	if err != nil {
		return 0, 0, fmt.Errorf("survey: responses of period %d: %w", periodID, err)
	}
	defer rows.Close()
	err = s.scanPacked(rows, periodID, func(r *StoredResponse) error { n++; return fn(r) })
	return last, n, err
}

// LastBatch is the number of a period's last batch of responses (0: none).
func (s *Store) LastBatch(ctx context.Context, periodID int64) (int64, error) {
	var b int64
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(max(batch), 0) FROM response_batches WHERE period_id = ?`, periodID).Scan(&b)
	if err != nil {
		return 0, fmt.Errorf("survey: last batch of period %d: %w", periodID, err)
	}
	return b, nil
}
