package survey

import (
	"context"
	"database/sql"
	"fmt"
)

// idRange is a run of consecutive response ids a responseInsert stored
// in one period.
type idRange struct {
	period, lo, hi int64
}

// record adds the response id to the insert's id ranges: a batch's ids are
// consecutive from a random place, so a release is one range (a redrawn,
// taken id starts another). Nothing is written until flush.
func (ri *responseInsert) record(period, id int64) {
	if n := len(ri.ranges); n > 0 && ri.ranges[n-1].period == period && id == ri.ranges[n-1].hi+1 {
		ri.ranges[n-1].hi = id
		return
	}
	ri.ranges = append(ri.ranges, idRange{period: period, lo: id, hi: id})
}

// flush writes the insert's id ranges, all of one period under one batch
// number: one more than the period's last (writers are serialised, so
// numbers grow in commit order and a reader that sees batch b sees every
// batch before it). One statement per range, usually one per release,
// instead of a write per response.
func (ri *responseInsert) flush(ctx context.Context) error {
	batches := map[int64]int64{} // period id -> this insert's batch number
	for _, r := range ri.ranges {
		b, ok := batches[r.period]
		if !ok {
			last, err := lastBatch(ctx, ri.tx, r.period)
			if err != nil {
				return err
			}
			b = last + 1
			batches[r.period] = b
		}
		if _, err := ri.tx.ExecContext(ctx, `INSERT INTO response_batches (period_id, batch, lo, hi) VALUES (?, ?, ?, ?)`, r.period, b, r.lo, r.hi); err != nil {
			return err
		}
	}
	ri.ranges = ri.ranges[:0]
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
	if last, err = lastBatch(ctx, tx, periodID); err != nil {
		return 0, 0, fmt.Errorf("survey: responses of period %d: %w", periodID, err)
	}
	// Driven from the ranges: each is a seek into the responses' primary
	// key, so the read costs the new batches, not the period.
	rows, err := tx.QueryContext(ctx, `SELECT `+s.packed()+` FROM response_batches x CROSS JOIN responses r
		WHERE r.id BETWEEN x.lo AND x.hi AND x.period_id = ? AND x.batch > ? AND r.period_id = x.period_id ORDER BY r.id`,
		periodID, batch)
	if err != nil {
		return 0, 0, fmt.Errorf("survey: responses of period %d: %w", periodID, err)
	}
	defer rows.Close()
	err = s.scanPacked(periodID, sqlRows(rows), func(r *StoredResponse) error { n++; return fn(r) })
	return last, n, err
}

// LastBatch is the number of a period's last batch of responses (0: none).
func (s *Store) LastBatch(ctx context.Context, periodID int64) (int64, error) {
	b, err := lastBatch(ctx, s.r, periodID)
	if err != nil {
		return 0, fmt.Errorf("survey: last batch of period %d: %w", periodID, err)
	}
	return b, nil
}

// lastBatch reads a period's last batch number on q (a pool or a transaction).
func lastBatch(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, periodID int64) (int64, error) {
	var b int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(max(batch), 0) FROM response_batches WHERE period_id = ?`, periodID).Scan(&b)
	return b, err
}
