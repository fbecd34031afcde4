package survey

import (
	"context"
	"fmt"
)

// InvitationCount counts a unit's invitations of one type: how many exist,
// how many were used, and how many can be reached by e-mail.
type InvitationCount struct {
	UnitCode string
	Type     string
	Total    int
	Used     int
	Mailable int // unused with an e-mail contact: the reach of a reminder
}

// InvitationCounts counts a period's invitations per unit and type. It
// reads only the used flag: nothing here knows who answered what.
func (s *Store) InvitationCounts(ctx context.Context, periodID int64) ([]InvitationCount, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT u.code, i.respondent_type, count(*), sum(i.used),
		sum(CASE WHEN i.used = 0 AND i.contact LIKE '%_@_%' THEN 1 ELSE 0 END)
		FROM invitations i JOIN units u ON u.id = i.unit_id WHERE i.period_id = ? GROUP BY 1, 2 ORDER BY 1, 2`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: invitation counts: %w", err)
	}
	defer rows.Close()
	var out []InvitationCount
	for rows.Next() {
		var c InvitationCount
		if err := rows.Scan(&c.UnitCode, &c.Type, &c.Total, &c.Used, &c.Mailable); err != nil {
			return nil, fmt.Errorf("survey: invitation counts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
