package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Refusals of open-link submissions, found in the transaction that would
// have stored them.
var (
	// ErrReplayed means the signed form's nonce was already used.
	ErrReplayed = errors.New("survey: open-link form already used")
	// ErrCapped means the device reached its answers per unit and day.
	ErrCapped = errors.New("survey: device cap reached")
)

// OpenCheck is what an open-link submission must pass, checked in the
// transaction that stores it so that two racing copies cannot both pass.
type OpenCheck struct {
	Nonce     []byte    // the signed form's random nonce: accepted once
	Expires   time.Time // when the form expires; the nonce is pruned after
	DeviceCap int       // answers per device hash, unit and day; 0: no cap
}

// applyOpen runs before an open-link submission is stored: refuse a device
// over its cap or a nonce already used (both before any write), else
// remember the nonce, count the device's answer and the unit's stored
// answer of the day. wrote reports writes a later failure must roll back.
func applyOpen(ctx context.Context, tx txQ, sub *Submission, day string) (wrote bool, err error) {
	o := sub.Open
	if o == nil {
		return false, nil
	}
	r := &sub.Response
	dev := r.DeviceHash
	if o.DeviceCap > 0 && len(dev) > 0 {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT n FROM open_device_days WHERE period_id = ? AND unit_id = ? AND day = ? AND device_hash = ?`,
			r.PeriodID, r.UnitID, day, dev).Scan(&n)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return false, fmt.Errorf("survey: submit: device count: %w", err)
		}
		if n >= o.DeviceCap {
			return false, fmt.Errorf("survey: submit: %w", ErrCapped)
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO open_nonces (nonce, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
		o.Nonce, o.Expires.Unix())
	if err != nil {
		return false, fmt.Errorf("survey: submit: nonce: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, fmt.Errorf("survey: submit: %w", ErrReplayed)
	}
	if len(dev) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO open_device_days (period_id, unit_id, day, device_hash, n) VALUES (?, ?, ?, ?, 1)
			ON CONFLICT (period_id, unit_id, day, device_hash) DO UPDATE SET n = open_device_days.n + 1`, r.PeriodID, r.UnitID, day, dev); err != nil {
			return true, fmt.Errorf("survey: submit: device count: %w", err)
		}
	}
	if err := addOutcome(ctx, tx, OpenOutcome{PeriodID: r.PeriodID, UnitID: r.UnitID, Day: day, Outcome: OutcomeStored, N: 1}); err != nil {
		return true, fmt.Errorf("survey: submit: %w", err)
	}
	return true, nil
}
