package survey

import (
	"context"
	"fmt"
)

// DataVersion is a cheap fingerprint of everything a period's results depend
// on: responses, corrections, decisions, units and settings. Results cached
// under one version are valid until it changes. Its first part, the
// responses' "count.edits", is also read by the results cache: a version
// whose only change is a larger count differs by new responses only, and
// the count checks that an incremental read is missing none
// (results/incremental.go). The counts are kept by triggers
// (0017_period_counts.sql): counting a national period's responses here
// cost ~38 ms per call.
func (s *Store) DataVersion(ctx context.Context, periodID int64) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT
		COALESCE((SELECT responses || '.' || edits FROM period_counts WHERE period_id = ?1), '0.0') || '/' ||
		(SELECT COALESCE(max(id), 0) || '.' || count(*) || '.' || COALESCE(sum(points), 0) FROM corrections WHERE period_id = ?1) || '/' ||
		(SELECT COALESCE(max(id), 0) || '.' || count(*) || '.' || count(revoked_at) FROM quality_decisions WHERE period_id = ?1) || '/' ||
		(SELECT count(*) || '.' || COALESCE(sum(COALESCE(internal_population, 0) + 3 * COALESCE(external_population, 0) + 7 * COALESCE(expert_population, 0)), 0) FROM period_units WHERE period_id = ?1) || '/' ||
		(SELECT settings || status FROM periods WHERE id = ?1) || '/' ||
		(SELECT COALESCE(max(id), 0) || '.' || count(*) FROM roster WHERE period_id = ?1)`, periodID).Scan(&v)
	if err != nil {
		return "", fmt.Errorf("survey: data version of period %d: %w", periodID, err)
	}
	return v, nil
}
