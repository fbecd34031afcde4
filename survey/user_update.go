package survey

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// UserChange is what an admin may change about an account.
type UserChange struct {
	Name  string
	Role  string
	Units []string // viewers only
}

// UpdateUser changes an account's name, role and unit scope. The change
// applies to the account's open sessions at their next request.
func (s *Store) UpdateUser(ctx context.Context, id int64, ch UserChange) error {
	name := strings.TrimSpace(ch.Name)
	if err := checkAccount(ch.Role, name, ch.Units); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, role = ? WHERE id = ?`, name, ch.Role, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return setUserUnits(ctx, tx, id, ch.Units)
	})
	if err != nil {
		return wrapAccount(fmt.Sprintf("update user %d", id), err)
	}
	return nil
}

// SetUserDisabled disables (ending its sessions) or re-enables an account.
// A disabled account cannot sign in and its API tokens are refused.
func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, disabled, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if disabled {
			_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("survey: disable user %d: %w", id, err)
	}
	return nil
}

// SetPassword replaces an account's password, lifts any lockout and ends
// its sessions, so a stolen session dies with the old password.
func (s *Store) SetPassword(ctx context.Context, id int64, password string) error {
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?`, hash, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `UPDATE login_attempts SET failures = 0, locked_until = NULL WHERE user_id = ?`, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("survey: set password of user %d: %w", id, err)
	}
	return nil
}
