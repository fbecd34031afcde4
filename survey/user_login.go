package survey

import (
	"context"
	"database/sql"
	"encoding/hex"
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

// Lockout policy, per (account, address): the first LockoutAfter failures
// in a row are free; then each further failure locks the pair for LockoutBase, doubling up to
// LockoutMax. A success resets the count.
const (
	LockoutAfter = 5
	LockoutBase  = time.Minute
	LockoutMax   = 30 * time.Minute
)

// LockoutDelay is how long an (account, address) pair stays locked after its
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

// Authenticate is AuthenticateFrom with no client address (the command
// line, tests): every such attempt shares one address.
func (s *Store) Authenticate(ctx context.Context, email, password string, now time.Time) (*User, LoginResult, error) {
	return s.AuthenticateFrom(ctx, email, password, "", now)
}

// knownAddressMax bounds the lock of an address the account has signed in
// from before: the owner's own typos slow them down, never for long.
const knownAddressMax = LockoutBase

// AuthenticateFrom checks an e-mail and password sent from a client address
// at time now. Every path costs one bcrypt comparison: an unknown e-mail is
// compared against a dummy hash. Failures count per (account, address): a
// locked pair is refused with ErrLockedOut even with the right password, but
// another address is not affected, so an attacker cannot keep the owner out.
// On success the user's FailedLogins says how many attempts failed (from any
// address) since the last sign-in, so the person can be told.
func (s *Store) AuthenticateFrom(ctx context.Context, email, password, addr string, now time.Time) (*User, LoginResult, error) {
	var id int64
	var hash string
	var disabled bool
	var failedTotal int
	err := s.r.QueryRowContext(ctx, `SELECT id, password_hash, disabled, failed_logins FROM users WHERE email = ?`,
		strings.ToLower(strings.TrimSpace(email))).Scan(&id, &hash, &disabled, &failedTotal)
	if errors.Is(err, sql.ErrNoRows) {
		passwordMatches(nil, password)
		return nil, LoginUnknownEmail, ErrBadCredentials
	}
	if err != nil {
		return nil, "", fmt.Errorf("survey: authenticate: %w", err)
	}
	key := s.addrKey(addr)
	var locked string
	var known bool
	err = s.r.QueryRowContext(ctx, `SELECT COALESCE(locked_until, ''), signed_in FROM login_attempts WHERE user_id = ? AND addr = ?`, id, key).Scan(&locked, &known)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
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
		if err := s.loginFailed(ctx, id, key, known, now); err != nil {
			return nil, "", err
		}
		return nil, LoginWrongPassword, ErrBadCredentials
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (user_id, addr, failures, locked_until, signed_in, last_at) VALUES (?, ?, 0, NULL, 1, ?)
			ON CONFLICT (user_id, addr) DO UPDATE SET failures = 0, locked_until = NULL, signed_in = 1, last_at = excluded.last_at`, id, key, stamp(now))
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("survey: authenticate: %w", err)
	}
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return nil, "", err
	}
	u.FailedLogins = failedTotal
	return u, LoginOK, nil
}

// addrKey is the stored form of a client address: a keyed MAC, so the table
// does not list where staff sign in from.
func (s *Store) addrKey(addr string) string {
	return hex.EncodeToString(s.key.Derive("login-address").MAC([]byte(addr))[:16])
}

// loginFailed counts a failure for the account (to tell its owner) and for
// the (account, address) pair, locking the pair once over the threshold.
func (s *Store) loginFailed(ctx context.Context, id int64, key string, known bool, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?`, id); err != nil {
			return fmt.Errorf("survey: count failed login: %w", err)
		}
		var n int
		err := tx.QueryRowContext(ctx, `INSERT INTO login_attempts (user_id, addr, failures, signed_in, last_at) VALUES (?, ?, 1, 0, ?)
			ON CONFLICT (user_id, addr) DO UPDATE SET failures = login_attempts.failures + 1, last_at = excluded.last_at RETURNING failures`, id, key, stamp(now)).Scan(&n)
		if err != nil {
			return fmt.Errorf("survey: count failed login: %w", err)
		}
		if d := LockoutDelay(n); d > 0 {
			if known {
				d = min(d, knownAddressMax)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE login_attempts SET locked_until = ? WHERE user_id = ? AND addr = ?`, stamp(now.Add(d)), id, key); err != nil {
				return fmt.Errorf("survey: lock address: %w", err)
			}
		}
		return nil
	})
}
