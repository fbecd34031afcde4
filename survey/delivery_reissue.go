package survey

import (
	"context"
	"database/sql"
	"fmt"
)

// MailInvitation is an unused invitation with an e-mail contact. It has no
// token: the link is minted when the message is handed to SMTP (MintLink).
type MailInvitation struct {
	ID       int64
	UnitCode string
	UnitName string
	Type     string
	Contact  string
}

// MailTargets lists the unused invitations of a period that have an e-mail
// contact (of one unit when unitCode is set, or only invitation id when
// id > 0), for a reminder or a resend. Used invitations are left out, so a
// reminder reveals nothing about who answered; invitations without an
// e-mail keep their printed links.
func (s *Store) MailTargets(ctx context.Context, periodID int64, unitCode string, id int64) ([]MailInvitation, error) {
	var out []MailInvitation
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := periodNotClosed(ctx, tx, periodID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT i.id, u.code, u.name, i.respondent_type, i.contact
			FROM invitations i JOIN units u ON u.id = i.unit_id
			WHERE i.period_id = ? AND i.used = 0 AND i.contact LIKE '%_@_%'
			AND (? = '' OR u.code = ?) AND (? = 0 OR i.id = ?) ORDER BY u.code, i.id`, periodID, unitCode, unitCode, id, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m MailInvitation
			if err := rows.Scan(&m.ID, &m.UnitCode, &m.UnitName, &m.Type, &m.Contact); err != nil {
				rows.Close()
				return err
			}
			out = append(out, m)
		}
		rows.Close()
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("survey: mail targets: %w", err)
	}
	return out, nil
}
