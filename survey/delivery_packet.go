package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrAlreadyQueued means the packet build is already queued or sent to the
// recipient: a second "send to every unit head" does not send it again.
var ErrAlreadyQueued = errors.New("survey: packet already queued or sent to this recipient")

// PacketDelivered reports whether a build is queued or sent to the
// recipient (failed deliveries do not count: sending them again is wanted).
func (s *Store) PacketDelivered(ctx context.Context, buildID int64, recipient string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, packetDeliveredSQL, buildID, recipient).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("survey: packet delivered: %w", err)
	}
	return n > 0, nil
}

const packetDeliveredSQL = `SELECT count(*) FROM deliveries WHERE build_id = ? AND kind = 'packet'
	AND lower(recipient) = lower(?) AND status IN ('queued', 'sent')`

// QueuePacketOnce queues a packet delivery unless the same build is queued
// or sent to the same recipient, which answers ErrAlreadyQueued. The check
// and the insert share one write transaction (the store has one writer and
// begins immediately), so two clicks at once queue one message.
func (s *Store) QueuePacketOnce(ctx context.Context, d NewDelivery) (int64, error) {
	if d.Kind != DeliveryPacket || d.BuildID == 0 {
		return 0, fmt.Errorf("survey: queue packet once: not a packet delivery")
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, packetDeliveredSQL, d.BuildID, d.Recipient).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrAlreadyQueued
		}
		var unitID int64
		err := tx.QueryRowContext(ctx, `SELECT unit_id FROM packet_builds WHERE id = ?`, d.BuildID).Scan(&unitID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("packet %d: %w", d.BuildID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		now := stamp(s.now())
		id, err = insertID(ctx, tx, `INSERT INTO deliveries (period_id, unit_id, kind, build_id, attach, recipient,
			subject, body_text, body_html, next_attempt_at, created_at) VALUES (?, ?, 'packet', ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.PeriodID, unitID, d.BuildID, d.Attach, d.Recipient, d.Subject, d.Text, d.HTML, now, now)
		if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("survey: queue packet %d to %s: %w", d.BuildID, d.Recipient, err)
	}
	return id, nil
}
