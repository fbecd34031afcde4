package survey

import (
	"context"
	"database/sql"
	"fmt"
)

// MailInvitation is an unused invitation with an e-mail contact and a fresh
// token, which exists only here: send it, then forget it.
type MailInvitation struct {
	ID       int64
	UnitCode string
	UnitName string
	Type     string
	Contact  string
	Token    string
}

// ReissueForMail gives the unused invitations of a period that have an
// e-mail contact (of one unit when unitCode is set, or only invitation id
// when id > 0) a fresh token (NewToken) and returns them, for a reminder or
// a resend: only hashes are stored, so a message needs a new link. Used
// invitations are never touched, so a reminder reveals nothing about who
// answered; invitations without an e-mail keep their printed links.
func (s *Store) ReissueForMail(ctx context.Context, periodID int64, unitCode string, id int64) ([]MailInvitation, error) {
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
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			token, hash := NewToken()
			if _, err := tx.ExecContext(ctx, `UPDATE invitations SET token_hash = ? WHERE id = ? AND used = 0`, hash, out[i].ID); err != nil {
				return err
			}
			out[i].Token = token
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey: reissue for mail: %w", err)
	}
	return out, nil
}
