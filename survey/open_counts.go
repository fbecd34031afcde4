package survey

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"time"
)

// Outcomes of open-link submissions, as counted per unit and day.
const (
	OutcomeStored        = "stored"
	OutcomeCappedDevice  = "capped_device"
	OutcomeCappedAddress = "capped_address"
	OutcomeNoCookie      = "no_cookie"
	OutcomeBadForm       = "bad_form" // missing, forged or for another unit
	OutcomeExpired       = "expired"
	OutcomeReplayed      = "replayed"
)

// OpenOutcomes lists the outcomes in the order pages show them.
var OpenOutcomes = []string{OutcomeStored, OutcomeCappedDevice, OutcomeCappedAddress, OutcomeNoCookie, OutcomeBadForm, OutcomeExpired, OutcomeReplayed}

// OpenOutcome is a count of one outcome for a unit on a day (UTC).
type OpenOutcome struct {
	PeriodID, UnitID int64
	Day              string // YYYY-MM-DD
	Outcome          string
	N                int
}

func addOutcome(ctx context.Context, tx txQ, o OpenOutcome) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO open_link_counts (period_id, unit_id, day, outcome, n) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (period_id, unit_id, day, outcome) DO UPDATE SET n = open_link_counts.n + excluded.n`, o.PeriodID, o.UnitID, o.Day, o.Outcome, o.N)
	if err != nil {
		return fmt.Errorf("open-link count: %w", err)
	}
	return nil
}

// AddOpenOutcomes adds refusal counts (the committer counts stored answers
// itself), in one transaction.
func (s *Store) AddOpenOutcomes(ctx context.Context, os []OpenOutcome) error {
	if len(os) == 0 {
		return nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, o := range os {
			if err := addOutcome(ctx, tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("survey: %w", err)
	}
	return nil
}

// OpenLinkCounts returns a period's open-link outcome counts by unit and day.
func (s *Store) OpenLinkCounts(ctx context.Context, periodID int64) ([]OpenOutcome, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT unit_id, day, outcome, n FROM open_link_counts WHERE period_id = ? ORDER BY unit_id, day, outcome`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: open-link counts: %w", err)
	}
	defer rows.Close()
	var out []OpenOutcome
	for rows.Next() {
		o := OpenOutcome{PeriodID: periodID}
		if err := rows.Scan(&o.UnitID, &o.Day, &o.Outcome, &o.N); err != nil {
			return nil, fmt.Errorf("survey: open-link counts: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// PruneOpenNonces forgets the nonces of forms expired before now: such a
// form is refused as expired before its nonce is ever looked up.
func (s *Store) PruneOpenNonces(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM open_nonces WHERE expires_at < ?`, now.Unix())
	if err != nil {
		return 0, fmt.Errorf("survey: prune open-link nonces: %w", err)
	}
	return res.RowsAffected()
}

// dropDeviceTraces runs when a period closes: the per-device counts go, and
// every response's keyed device hash is dropped. Exact duplicates (same
// hash, same answers) keep a fresh random tag in common instead, so the
// duplicate flag — the one flag that changes results by itself — stays as
// it was, while no stored value can be recomputed from a browser's cookie,
// even with the key file.
func dropDeviceTraces(ctx context.Context, tx *sql.Tx, periodID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM open_device_days WHERE period_id = ?`, periodID); err != nil {
		return fmt.Errorf("drop device counts: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, device_hash, answers FROM responses WHERE period_id = ? AND device_hash IS NOT NULL`, periodID)
	if err != nil {
		return fmt.Errorf("read device hashes: %w", err)
	}
	groups := map[string][]int64{}
	for rows.Next() {
		var id int64
		var dev, ans []byte
		if err := rows.Scan(&id, &dev, &ans); err != nil {
			rows.Close()
			return fmt.Errorf("read device hashes: %w", err)
		}
		k := string(dev) + "\x00" + string(ans)
		groups[k] = append(groups[k], id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read device hashes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE responses SET device_hash = NULL WHERE period_id = ? AND device_hash IS NOT NULL`, periodID); err != nil {
		return fmt.Errorf("drop device hashes: %w", err)
	}
	set, err := tx.PrepareContext(ctx, `UPDATE responses SET device_hash = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer set.Close()
	for _, ids := range groups {
		if len(ids) < 2 {
			continue
		}
		tag := make([]byte, 32)
		rand.Read(tag)
		for _, id := range ids {
			if _, err := set.ExecContext(ctx, tag, id); err != nil {
				return fmt.Errorf("tag duplicates: %w", err)
			}
		}
	}
	return nil
}
