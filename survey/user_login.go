package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Login errors. ErrBadCredentials is the one answer for an unknown e-mail,
// a wrong password and a disabled account, so none of them can be told apart.
var (
	ErrBadCredentials = errors.New("survey: wrong e-mail or password")
	ErrLockedOut      = errors.New("survey: too many failed logins; try again later")
)

// Lockout policy: the first LockoutAfter failures in a row are free; then
// each further failure locks the account for LockoutBase, doubling up to
// LockoutMax. A success resets the count.
const (
	LockoutAfter = 5
	LockoutBase  = time.Minute
	LockoutMax   = 30 * time.Minute
)

// LockoutDelay is how long an account (or client) stays locked after its
// failures-th failure in a row; 0 while under the threshold.
func LockoutDelay(failures int) time.Duration {
	if failures < LockoutAfter {
		return 0
	}
	d := LockoutBase
	for i := LockoutAfter; i < failures && d < LockoutMax; i++ {
		d *= 2
	}
	return min(d, LockoutMax)
}

// LoginResult tells the caller (for the audit log) why a login failed.
type LoginResult string

// Why a login failed; never shown to the person signing in.
const (
	LoginOK            LoginResult = "ok"
	LoginUnknownEmail  LoginResult = "unknown_email"
	LoginWrongPassword LoginResult = "wrong_password"
	LoginDisabled      LoginResult = "disabled"
	LoginLocked        LoginResult = "locked"
)

// Authenticate checks an e-mail and password at time now. Every path costs
// one bcrypt comparison: an unknown e-mail is compared against a dummy hash.
// A locked account is refused with ErrLockedOut even with the right password.
func (s *Store) Authenticate(ctx context.Context, email, password string, now time.Time) (*User, LoginResult, error) {
	var id int64
	var hash, locked string
	var disabled bool
	var failed int
	err := s.r.QueryRowContext(ctx, `SELECT id, password_hash, disabled, failed_logins, COALESCE(locked_until, '') FROM users WHERE email = ?`,
		strings.ToLower(strings.TrimSpace(email))).Scan(&id, &hash, &disabled, &failed, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		passwordMatches(nil, password)
		return nil, LoginUnknownEmail, ErrBadCredentials
	}
	if err != nil {
		return nil, "", fmt.Errorf("survey: authenticate: %w", err)
	}
	ok := passwordMatches([]byte(hash), password)
	if until, _ := time.Parse(time.RFC3339, locked); locked != "" && now.Before(until) {
		return nil, LoginLocked, ErrLockedOut
	}
	if disabled {
		return nil, LoginDisabled, ErrBadCredentials
	}
	if !ok {
		if err := s.loginFailed(ctx, id, now); err != nil {
			return nil, "", err
		}
		return nil, LoginWrongPassword, ErrBadCredentials
	}
	if failed > 0 || locked != "" {
		if _, err := s.w.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?`, id); err != nil {
			return nil, "", fmt.Errorf("survey: authenticate: %w", err)
		}
	}
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return nil, "", err
	}
	return u, LoginOK, nil
}

// loginFailed counts a failure and locks the account once over the threshold.
func (s *Store) loginFailed(ctx context.Context, id int64, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins`, id).Scan(&n); err != nil {
			return fmt.Errorf("survey: count failed login: %w", err)
		}
		if d := LockoutDelay(n); d > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET locked_until = ? WHERE id = ?`, stamp(now.Add(d)), id); err != nil {
				return fmt.Errorf("survey: lock account: %w", err)
			}
		}
		return nil
	})
}
