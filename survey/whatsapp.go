package survey

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// WhatsAppInvitation is an unused invitation whose person has a phone
// number: from the roster row, else a contact that is not an e-mail.
type WhatsAppInvitation struct {
	ID       int64
	UnitCode string
	UnitName string
	Type     string
	Name     string // from the roster, when linked
	Phone    string // as written on the roster
	SentAt   time.Time
	SentBy   string
	Token    string // set only by ReissueForWhatsApp, never stored
}

const waSelect = `SELECT i.id, u.code, u.name, i.respondent_type, COALESCE(r.name, ''),
	CASE WHEN COALESCE(r.phone, '') <> '' THEN r.phone WHEN i.contact NOT LIKE '%@%' THEN i.contact ELSE '' END AS phone,
	COALESCE(w.sent_at, ''), COALESCE(w.sent_by, '')
	FROM invitations i JOIN units u ON u.id = i.unit_id
	LEFT JOIN roster r ON r.id = i.roster_id
	LEFT JOIN whatsapp_sends w ON w.invitation_id = i.id
	WHERE i.period_id = ? AND i.used = 0`

// WhatsAppInvitations lists a period's unused invitations with a phone
// number (of one unit when unitCode is set), by unit. Used invitations are
// left out, as reminders leave them out.
func (s *Store) WhatsAppInvitations(ctx context.Context, periodID int64, unitCode string) ([]WhatsAppInvitation, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT * FROM (`+waSelect+` AND (? = '' OR u.code = ?)) wa WHERE phone <> '' ORDER BY 2, 1`,
		periodID, unitCode, unitCode)
	if err != nil {
		return nil, fmt.Errorf("survey: whatsapp invitations: %w", err)
	}
	defer rows.Close()
	var out []WhatsAppInvitation
	for rows.Next() {
		w, err := scanWA(rows)
		if err != nil {
			return nil, fmt.Errorf("survey: whatsapp invitations: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

func scanWA(row scanner) (WhatsAppInvitation, error) {
	var w WhatsAppInvitation
	var at string
	err := row.Scan(&w.ID, &w.UnitCode, &w.UnitName, &w.Type, &w.Name, &w.Phone, &at, &w.SentBy)
	if at != "" {
		w.SentAt, _ = time.Parse(time.RFC3339, at)
	}
	return w, err
}

// ReissueForWhatsApp gives the unused invitations with a phone (ids, or
// every one of the period when ids is empty) a fresh token and marks them
// sent by WhatsApp: the link exists only in the returned values, shown or
// exported once, as e-mail links are (only hashes are stored). Earlier links
// of these invitations stop working.
func (s *Store) ReissueForWhatsApp(ctx context.Context, periodID int64, ids []int64, by string) ([]WhatsAppInvitation, error) {
	var out []WhatsAppInvitation
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := periodNotClosed(ctx, tx, periodID); err != nil {
			return err
		}
		pick := func(id int64) error {
			rows, err := tx.QueryContext(ctx, `SELECT * FROM (`+waSelect+` AND (? = 0 OR i.id = ?)) wa WHERE phone <> '' ORDER BY 2, 1`, periodID, id, id)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				w, err := scanWA(rows)
				if err != nil {
					return err
				}
				out = append(out, w)
			}
			return rows.Err()
		}
		if len(ids) == 0 {
			if err := pick(0); err != nil {
				return err
			}
		}
		for _, id := range ids {
			if id <= 0 {
				continue
			}
			n := len(out)
			if err := pick(id); err != nil {
				return err
			}
			if len(out) == n {
				return fmt.Errorf("invitation %d (unused, with a phone): %w", id, ErrNotFound)
			}
		}
		now := s.now().UTC().Truncate(time.Second)
		for i := range out {
			token, err := s.rekey(ctx, tx, out[i].ID)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO whatsapp_sends (invitation_id, sent_at, sent_by) VALUES (?, ?, ?)
				ON CONFLICT (invitation_id) DO UPDATE SET sent_at = excluded.sent_at, sent_by = excluded.sent_by`, out[i].ID, stamp(now), by); err != nil {
				return err
			}
			out[i].Token, out[i].SentAt, out[i].SentBy = token, now, by
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey: reissue for whatsapp: %w", err)
	}
	return out, nil
}
