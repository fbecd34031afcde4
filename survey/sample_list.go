package survey

import (
	"context"
	"fmt"
	"time"
)

// Samples lists a period's recorded draws, newest first, with their members
// when members is set.
func (s *Store) Samples(ctx context.Context, periodID int64, members bool) ([]Sample, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT s.id, s.period_id, u.code, s.respondent_type, s.seed, s.margin, s.population, s.size, s.drawn_at, s.drawn_by
		FROM samples s JOIN units u ON u.id = s.unit_id WHERE s.period_id = ? ORDER BY s.id DESC`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: samples: %w", err)
	}
	var out []Sample
	for rows.Next() {
		var smp Sample
		var seed int64
		var at string
		if err := rows.Scan(&smp.ID, &smp.PeriodID, &smp.UnitCode, &smp.Type, &seed, &smp.Margin, &smp.Population, &smp.Size, &at, &smp.DrawnBy); err != nil {
			rows.Close()
			return nil, fmt.Errorf("survey: samples: %w", err)
		}
		smp.Seed = uint64(seed)
		smp.DrawnAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, smp)
	}
	rows.Close()
	if err := rows.Err(); err != nil || !members {
		return out, err
	}
	for i := range out {
		if out[i].Members, err = s.sampleMembers(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) sampleMembers(ctx context.Context, sampleID int64) ([]SampleMember, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT m.position, coalesce(m.roster_id, 0), coalesce(r.name, ''), coalesce(r.email, ''), coalesce(r.phone, ''),
		coalesce(m.invitation_id, 0) FROM sample_members m LEFT JOIN roster r ON r.id = m.roster_id WHERE m.sample_id = ? ORDER BY m.position`, sampleID)
	if err != nil {
		return nil, fmt.Errorf("survey: sample %d: %w", sampleID, err)
	}
	defer rows.Close()
	var out []SampleMember
	for rows.Next() {
		var m SampleMember
		if err := rows.Scan(&m.Position, &m.RosterID, &m.Name, &m.Email, &m.Phone, &m.InvitationID); err != nil {
			return nil, fmt.Errorf("survey: sample %d: %w", sampleID, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// LinkSampleInvitations records, for each member of the sample, the newest
// invitation of the period created for its roster row.
func (s *Store) LinkSampleInvitations(ctx context.Context, sampleID int64) error {
	_, err := s.w.ExecContext(ctx, `UPDATE sample_members SET invitation_id = (SELECT max(i.id) FROM invitations i
		JOIN samples s ON s.id = sample_members.sample_id WHERE i.period_id = s.period_id AND i.roster_id = sample_members.roster_id)
		WHERE sample_id = ? AND roster_id IS NOT NULL`, sampleID)
	if err != nil {
		return fmt.Errorf("survey: link sample %d invitations: %w", sampleID, err)
	}
	return nil
}
