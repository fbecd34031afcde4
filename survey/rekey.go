package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// rekey gives the unused invitation id a fresh token and returns it: the
// old link stops working and the draft sealed under it, unreadable now, is
// deleted. A used or vanished invitation is ErrUsed.
func (s *Store) rekey(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var old []byte
	err := tx.QueryRowContext(ctx, `SELECT token_hash FROM invitations WHERE id = ? AND used = 0`, id).Scan(&old)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("invitation %d: %w", id, ErrUsed)
	}
	if err != nil {
		return "", err
	}
	token, hash := NewToken()
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET token_hash = ? WHERE id = ? AND used = 0`, hash, id); err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sealed_drafts WHERE id = ?`, s.draftID(old)); err != nil {
		return "", err
	}
	return token, nil
}

// MintLink gives an unused invitation a fresh token at the moment its
// message is handed to SMTP, so that a queued message never holds a live
// link (the mail worker puts the token into the message). It returns the
// hash the invitation had, for UnmintLink when the send fails. A used
// invitation is ErrUsed: its message is not sent.
func (s *Store) MintLink(ctx context.Context, invitationID int64) (token string, previous []byte, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT token_hash FROM invitations WHERE id = ? AND used = 0`, invitationID).Scan(&previous)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("invitation %d: %w", invitationID, ErrUsed)
		}
		if err != nil {
			return err
		}
		var hash []byte
		token, hash = NewToken()
		_, err = tx.ExecContext(ctx, `UPDATE invitations SET token_hash = ? WHERE id = ? AND used = 0`, hash, invitationID)
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("survey: mint link: %w", err)
	}
	return token, previous, nil
}

// UnmintLink puts back the hash an invitation had before MintLink when the
// message could not be sent, so that a failed reminder does not break the
// link the person already has (and the draft sealed under it). It changes
// nothing when the invitation was used or minted again meanwhile.
func (s *Store) UnmintLink(ctx context.Context, invitationID int64, token string, previous []byte) error {
	hash, err := TokenHash(token)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE invitations SET token_hash = ? WHERE id = ? AND token_hash = ? AND used = 0`, previous, invitationID, hash)
		return err
	})
	if err != nil {
		return fmt.Errorf("survey: unmint link: %w", err)
	}
	return nil
}
