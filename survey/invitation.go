package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
)

// tokenEncoding writes invitation tokens: 32 random bytes as 43 characters of
// unpadded base64url, strict so that each token has exactly one spelling.
var tokenEncoding = base64.RawURLEncoding.Strict()

// NewToken returns a fresh invitation token and the SHA-256 stored for it.
func NewToken() (token string, hash []byte) {
	raw := make([]byte, 32)
	rand.Read(raw) // never fails (crypto/rand panics rather than return short)
	h := sha256.Sum256(raw)
	return tokenEncoding.EncodeToString(raw), h[:]
}

// TokenHash returns the stored hash of a token, or ErrNotFound when the text
// cannot be a token at all (so a malformed link costs no database query).
func TokenHash(token string) ([]byte, error) {
	if len(token) != 43 {
		return nil, fmt.Errorf("survey: invitation: %w", ErrNotFound)
	}
	raw, err := tokenEncoding.DecodeString(token)
	if err != nil || len(raw) != 32 {
		return nil, fmt.Errorf("survey: invitation: %w", ErrNotFound)
	}
	h := sha256.Sum256(raw)
	return h[:], nil
}

// Invitation is a one-time right to answer, as its link's holder sees it.
type Invitation struct {
	ID       int64
	PeriodID int64
	UnitID   int64
	UnitCode string
	UnitName string
	Type     string
	Used     bool
	Draft    *Draft // answers saved so far, or nil
}

// NewInvitation asks for one invitation; RosterID (0: none) and Contact are
// optional and only serve the inspectorate's mailing.
type NewInvitation struct {
	UnitCode string
	Type     string
	RosterID int64
	Contact  string
}

// IssuedInvitation is an invitation with its token, which exists only here:
// the database keeps the hash. Print or send it, then forget it.
type IssuedInvitation struct {
	UnitCode string
	Type     string
	Contact  string
	Token    string
}

// CreateInvitations stores invitations for a period that is not closed, in
// one transaction, and returns their tokens in the order asked.
func (s *Store) CreateInvitations(ctx context.Context, periodID int64, want []NewInvitation) ([]IssuedInvitation, error) {
	out := make([]IssuedInvitation, 0, len(want))
	now := stamp(s.now())
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := periodNotClosed(ctx, tx, periodID); err != nil {
			return err
		}
		units := map[string]int64{}
		for _, w := range want {
			if !ValidType(w.Type) {
				return fmt.Errorf("respondent type %q must be internal, external or expert", w.Type)
			}
			id, ok := units[w.UnitCode]
			if !ok {
				err := tx.QueryRowContext(ctx, `SELECT u.id FROM units u JOIN period_units pu ON pu.unit_id = u.id
					WHERE pu.period_id = ? AND u.code = ?`, periodID, w.UnitCode).Scan(&id)
				if errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("unit %q is not in the period: %w", w.UnitCode, ErrNotFound)
				}
				if err != nil {
					return err
				}
				units[w.UnitCode] = id
			}
			token, hash := NewToken()
			var roster any
			if w.RosterID > 0 {
				roster = w.RosterID
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (period_id, unit_id, respondent_type, token_hash, roster_id, contact, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, periodID, id, w.Type, hash, roster, w.Contact, now); err != nil {
				return err
			}
			out = append(out, IssuedInvitation{UnitCode: w.UnitCode, Type: w.Type, Contact: w.Contact, Token: token})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey: create invitations: %w", err)
	}
	return out, nil
}

func periodNotClosed(ctx context.Context, tx *sql.Tx, periodID int64) error {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM periods WHERE id = ?`, periodID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("period %d: %w", periodID, ErrNotFound)
	}
	if err != nil {
		return err
	}
	if status == StatusClosed {
		return fmt.Errorf("period %d is closed: %w", periodID, ErrClosed)
	}
	return nil
}

const sqlInvitationByToken = `SELECT i.id, i.period_id, i.unit_id, u.code, u.name, i.respondent_type, i.used
	FROM invitations i JOIN units u ON u.id = i.unit_id WHERE i.token_hash = ?`

const sqlDraftByID = `SELECT sealed FROM sealed_drafts WHERE id = ?`

// sqlInvitationDraft is sqlInvitationByToken with the draft's sealed box
// (NULL when none): one statement per questionnaire page, not two.
const sqlInvitationDraft = `SELECT i.id, i.period_id, i.unit_id, u.code, u.name, i.respondent_type, i.used,
	(SELECT sealed FROM sealed_drafts WHERE id = ?2)
	FROM invitations i JOIN units u ON u.id = i.unit_id WHERE i.token_hash = ?1`

// InvitationByToken looks an invitation up by its token, with the answers
// saved so far. Unknown or malformed tokens are ErrNotFound; a used
// invitation is returned with Used set (and no draft).
func (s *Store) InvitationByToken(ctx context.Context, token string) (*Invitation, error) {
	hash, err := TokenHash(token)
	if err != nil {
		return nil, err
	}
	inv, err := scanInvitation(s.r.QueryRowContext(ctx, sqlInvitationByToken, hash))
	if err != nil || inv.Used {
		return inv, err
	}
	q := func(ctx context.Context, args ...any) *sql.Row {
		return s.r.QueryRowContext(ctx, sqlDraftByID, args...)
	}
	if inv.Draft, err = s.loadDraft(ctx, q, token, hash); err != nil {
		return nil, fmt.Errorf("survey: draft of invitation %d: %w", inv.ID, err)
	}
	return inv, nil
}

// InvitationFinder is InvitationByToken with its statement prepared once
// on the lookup pool (openLookups): the respondent pages look an invitation
// up on every request, and preparing the join cost more than running it.
type InvitationFinder struct {
	st   *Store
	stmt *sql.Stmt
}

// NewInvitationFinder prepares the lookup; Close releases it.
func (s *Store) NewInvitationFinder(ctx context.Context) (*InvitationFinder, error) {
	st, err := s.look.PrepareContext(ctx, sqlInvitationDraft)
	if err != nil {
		return nil, fmt.Errorf("survey: prepare invitation lookup: %w", err)
	}
	return &InvitationFinder{st: s, stmt: st}, nil
}

// ByToken is InvitationByToken.
func (f *InvitationFinder) ByToken(ctx context.Context, token string) (*Invitation, error) {
	hash, err := TokenHash(token)
	if err != nil {
		return nil, err
	}
	id := f.st.draftID(hash)
	var inv Invitation
	var used int
	var box []byte
	// Without the request's cancellation: for a query on a context that
	// can end, database/sql starts a goroutine to watch it, and that
	// goroutine's start and exit woke a thread on the other core for a
	// point lookup that takes microseconds.
	err = f.stmt.QueryRowContext(context.WithoutCancel(ctx), hash, id).Scan(&inv.ID, &inv.PeriodID, &inv.UnitID, &inv.UnitCode, &inv.UnitName, &inv.Type, &used, &box)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("survey: invitation: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("survey: invitation: %w", err)
	}
	inv.Used = used == 1
	if inv.Used || box == nil {
		return &inv, nil
	}
	if inv.Draft, err = openDraft(token, id, box); err != nil {
		return nil, fmt.Errorf("survey: draft of invitation %d: %w", inv.ID, err)
	}
	return &inv, nil
}

// Close releases the prepared statement.
func (f *InvitationFinder) Close() error { return f.stmt.Close() }

func scanInvitation(row *sql.Row) (*Invitation, error) {
	var inv Invitation
	var used int
	err := row.Scan(&inv.ID, &inv.PeriodID, &inv.UnitID, &inv.UnitCode, &inv.UnitName, &inv.Type, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("survey: invitation: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("survey: invitation: %w", err)
	}
	inv.Used = used == 1
	return &inv, nil
}

// ReissueInvitations gives every unused invitation of the period (of one
// unit when unitCode is set) a fresh token and returns them. Only hashes are
// stored, so this is the only way to list links again: the previous links of
// these invitations stop working. Used invitations are never touched; their
// count is returned. A saved draft is sealed under the old link and is not
// readable with the new one.
func (s *Store) ReissueInvitations(ctx context.Context, periodID int64, unitCode string) (issued []IssuedInvitation, used int, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := periodNotClosed(ctx, tx, periodID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM invitations i JOIN units u ON u.id = i.unit_id
			WHERE i.period_id = ? AND i.used = 1 AND (? = '' OR u.code = ?)`, periodID, unitCode, unitCode).Scan(&used); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT i.id, u.code, i.respondent_type, i.contact FROM invitations i JOIN units u ON u.id = i.unit_id
			WHERE i.period_id = ? AND i.used = 0 AND (? = '' OR u.code = ?) ORDER BY u.code, i.respondent_type, i.id`, periodID, unitCode, unitCode)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			var inv IssuedInvitation
			if err := rows.Scan(&id, &inv.UnitCode, &inv.Type, &inv.Contact); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
			issued = append(issued, inv)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, id := range ids {
			token, err := s.rekey(ctx, tx, id)
			if err != nil {
				return err
			}
			issued[i].Token = token
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("survey: reissue invitations: %w", err)
	}
	return issued, used, nil
}
