package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"
)

// Delivery kinds and statuses.
const (
	DeliveryInvitation = "invitation"
	DeliveryReminder   = "reminder"
	DeliveryPacket     = "packet"

	DeliveryQueued = "queued"
	DeliverySent   = "sent"
	DeliveryFailed = "failed"
)

// Delivery is one outgoing message and its log: queued, then sent or failed
// with the reason. Body fields are blank once the message is sent.
type Delivery struct {
	ID           int64
	PeriodID     int64
	UnitCode     string // "" when not tied to a unit
	Kind         string
	InvitationID int64 // 0: none
	BuildID      int64 // packet build to attach, 0: none
	Attach       bool
	Recipient    string
	Subject      string
	Text         string
	HTML         string
	Status       string
	Attempts     int
	LastError    string
	NextAttempt  time.Time
	CreatedAt    time.Time
	SentAt       time.Time // zero until sent
}

// NewDelivery is a rendered message to queue.
type NewDelivery struct {
	PeriodID     int64
	UnitCode     string
	Kind         string
	InvitationID int64
	BuildID      int64
	Attach       bool
	Recipient    string
	Subject      string
	Text         string
	HTML         string
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// QueueDeliveries stores messages to send, due now, in one transaction.
func (s *Store) QueueDeliveries(ctx context.Context, ds []NewDelivery) ([]int64, error) {
	now := stamp(s.now())
	ids := make([]int64, 0, len(ds))
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, d := range ds {
			var unit any
			if d.UnitCode != "" {
				var id int64
				if err := tx.QueryRowContext(ctx, `SELECT id FROM units WHERE code = ?`, d.UnitCode).Scan(&id); err != nil {
					if errors.Is(err, sql.ErrNoRows) {
						return fmt.Errorf("unit %q: %w", d.UnitCode, ErrNotFound)
					}
					return err
				}
				unit = id
			}
			id, err := insertID(ctx, tx, `INSERT INTO deliveries (period_id, unit_id, kind, invitation_id, build_id, attach, recipient,
				subject, body_text, body_html, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				d.PeriodID, unit, d.Kind, nullID(d.InvitationID), nullID(d.BuildID), d.Attach, d.Recipient, d.Subject, d.Text, d.HTML, now, now)
			if err != nil {
				return fmt.Errorf("%s to %s: %w", d.Kind, d.Recipient, err)
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey: queue deliveries: %w", err)
	}
	return ids, nil
}

const deliveryColumns = `d.id, d.period_id, coalesce(u.code, ''), d.kind, coalesce(d.invitation_id, 0), coalesce(d.build_id, 0), d.attach,
	d.recipient, d.subject, d.body_text, d.body_html, d.status, d.attempts, d.last_error, d.next_attempt_at, d.created_at, coalesce(d.sent_at, '')`

func scanDelivery(row scanner) (Delivery, error) {
	var d Delivery
	var next, created, sent string
	err := row.Scan(&d.ID, &d.PeriodID, &d.UnitCode, &d.Kind, &d.InvitationID, &d.BuildID, &d.Attach, &d.Recipient, &d.Subject,
		&d.Text, &d.HTML, &d.Status, &d.Attempts, &d.LastError, &next, &created, &sent)
	d.NextAttempt, _ = time.Parse(time.RFC3339, next)
	d.CreatedAt, _ = time.Parse(time.RFC3339, created)
	if sent != "" {
		d.SentAt, _ = time.Parse(time.RFC3339, sent)
	}
	return d, err
}

// ClaimDueDeliveries returns up to limit queued messages due at now and
// leases them for lease, so a second sender (a command beside the server)
// does not send them too. A lease that runs out makes them due again.
// Among messages due at the same second, fewer attempts go first, so one
// that keeps failing does not hold back the others.
func (s *Store) ClaimDueDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Delivery, error) {
	var out []Delivery
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries d LEFT JOIN units u ON u.id = d.unit_id
			WHERE d.status = 'queued' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.attempts, d.id LIMIT ?`, stamp(now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			d, err := scanDelivery(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET next_attempt_at = ? WHERE id = ?`, stamp(now.Add(lease)), d.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey: claim deliveries: %w", err)
	}
	return out, nil
}

// DeliverySent logs a successful send (keeping the reason of any earlier
// failed attempt) and blanks the message: an invitation's body held its
// personal link, which must not outlive the send. A reminder is not kept
// at all: it only adds to the count of its unit, type and day, since who
// was reminded is who had not answered yet.
func (s *Store) DeliverySent(ctx context.Context, id int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if done, err := countReminder(ctx, tx, id, s.now(), "sent"); done || err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = 'sent', attempts = attempts + 1,
			body_text = '', body_html = '', sent_at = ? WHERE id = ?`, stamp(s.now()), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("survey: delivery %d sent: %w", id, err)
	}
	return nil
}

// countReminder folds a reminder delivery into reminder_counts (column
// "sent" or "failed") and deletes it; done is false for other kinds.
func countReminder(ctx context.Context, tx *sql.Tx, id int64, now time.Time, column string) (done bool, err error) {
	var kind, typ string
	var period, unit sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT d.kind, d.period_id, COALESCE(d.unit_id, i.unit_id), COALESCE(i.respondent_type, '')
		FROM deliveries d LEFT JOIN invitations i ON i.id = d.invitation_id WHERE d.id = ?`, id).Scan(&kind, &period, &unit, &typ)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != DeliveryReminder) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if unit.Valid && typ != "" {
		q := `INSERT INTO reminder_counts (period_id, unit_id, respondent_type, day, ` + column + `) VALUES (?, ?, ?, ?, 1)
			ON CONFLICT (period_id, unit_id, respondent_type, day) DO UPDATE SET ` + column + ` = reminder_counts.` + column + ` + 1`
		if _, err := tx.ExecContext(ctx, q, period.Int64, unit.Int64, typ, now.UTC().Format(time.DateOnly)); err != nil {
			return false, err
		}
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM deliveries WHERE id = ?`, id)
	return true, err
}

// DeliveryDropped deletes a queued invitation or reminder whose invitation
// was used before the message could be sent: it is neither sent nor kept.
func (s *Store) DeliveryDropped(ctx context.Context, id int64) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM deliveries WHERE id = ? AND status = 'queued'`, id); err != nil {
		return fmt.Errorf("survey: drop delivery %d: %w", id, err)
	}
	return nil
}

// DeliveryFailed logs a failed attempt. With a next attempt the message
// stays queued until then; without one it is failed for good and its body
// is blanked (a reminder only adds to the failed count).
func (s *Store) DeliveryFailed(ctx context.Context, id int64, reason string, next time.Time, final bool) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if final {
			if done, err := countReminder(ctx, tx, id, s.now(), "failed"); done || err != nil {
				return err
			}
		}
		q := `UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`
		if final {
			q = `UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
			body_text = '', body_html = '' WHERE id = ?`
		}
		_, err := tx.ExecContext(ctx, q, reason, stamp(next), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("survey: delivery %d failed: %w", id, err)
	}
	return nil
}

// ReminderCount is how many reminders of one unit and type went out (or
// failed for good) on one day.
type ReminderCount struct {
	UnitCode, Type, Day string
	Sent, Failed        int
}

// ReminderCounts lists a period's reminder counts, newest day first.
func (s *Store) ReminderCounts(ctx context.Context, periodID int64) ([]ReminderCount, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT u.code, c.respondent_type, c.day, c.sent, c.failed FROM reminder_counts c
		JOIN units u ON u.id = c.unit_id WHERE c.period_id = ? ORDER BY c.day DESC, u.code, c.respondent_type`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: reminder counts: %w", err)
	}
	defer rows.Close()
	var out []ReminderCount
	for rows.Next() {
		var c ReminderCount
		if err := rows.Scan(&c.UnitCode, &c.Type, &c.Day, &c.Sent, &c.Failed); err != nil {
			return nil, fmt.Errorf("survey: reminder counts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Deliveries lists a period's delivery log, newest first (kind "" lists all).
func (s *Store) Deliveries(ctx context.Context, periodID int64, kind string, limit int) ([]Delivery, error) {
	if limit <= 0 {
		limit = math.MaxInt64
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries d LEFT JOIN units u ON u.id = d.unit_id
		WHERE d.period_id = ? AND (? = '' OR d.kind = ?) ORDER BY d.id DESC LIMIT ?`, periodID, kind, kind, limit)
	if err != nil {
		return nil, fmt.Errorf("survey: deliveries: %w", err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("survey: deliveries: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Delivery returns one delivery.
func (s *Store) Delivery(ctx context.Context, id int64) (Delivery, error) {
	d, err := scanDelivery(s.r.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries d LEFT JOIN units u ON u.id = d.unit_id
		WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("survey: delivery %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("survey: delivery %d: %w", id, err)
	}
	return d, nil
}

// ReleaseDeliveries makes claimed but unattempted messages due again now,
// for a sender that stops before it reaches them.
func (s *Store) ReleaseDeliveries(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		if _, err := s.w.ExecContext(ctx, `UPDATE deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'queued'`, stamp(s.now()), id); err != nil {
			return fmt.Errorf("survey: release delivery %d: %w", id, err)
		}
	}
	return nil
}
