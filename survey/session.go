package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// newSecret returns 32 random bytes as unpadded base64url text (43
// characters) and the SHA-256 of that text, the only form stored.
func newSecret(prefix string) (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	tok := prefix + base64.RawURLEncoding.EncodeToString(b)
	return tok, hashSecret(tok)
}

func hashSecret(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// CreateSession starts a session for the user at now, ending at the latest
// at now+maxAge, and returns its token (for the cookie; only its hash is kept).
func (s *Store) CreateSession(ctx context.Context, userID int64, now time.Time, maxAge time.Duration) (string, error) {
	tok, hash := newSecret("")
	_, err := s.w.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		hash, userID, stamp(now), stamp(now), stamp(now.Add(maxAge)))
	if err != nil {
		return "", fmt.Errorf("survey: create session: %w", err)
	}
	return tok, nil
}

// SessionUser returns the enabled user of a live session: one that has not
// passed its absolute expiry and was used within idle. A dead session is
// deleted and answers ErrNotFound, as does an unknown token.
func (s *Store) SessionUser(ctx context.Context, token string, now time.Time, idle time.Duration) (*User, error) {
	if token == "" {
		return nil, fmt.Errorf("survey: session: %w", ErrNotFound)
	}
	hash := hashSecret(token)
	var userID int64
	var lastSeen, expires string
	var disabled bool
	err := s.r.QueryRowContext(ctx, `SELECT s.user_id, s.last_seen_at, s.expires_at, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ?`, hash).Scan(&userID, &lastSeen, &expires, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("survey: session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("survey: session: %w", err)
	}
	seen, _ := time.Parse(time.RFC3339, lastSeen)
	exp, _ := time.Parse(time.RFC3339, expires)
	if disabled || !now.Before(exp) || now.Sub(seen) >= idle {
		if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash); err != nil {
			return nil, fmt.Errorf("survey: end session: %w", err)
		}
		return nil, fmt.Errorf("survey: session expired: %w", ErrNotFound)
	}
	// Touch at most about once a minute: each touch is a write on the one
	// writer that also stores answers.
	if now.Sub(seen) >= min(time.Minute, idle/10) {
		if _, err := s.w.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, stamp(now), hash); err != nil {
			return nil, fmt.Errorf("survey: touch session: %w", err)
		}
	}
	return s.UserByID(ctx, userID)
}

// DeleteSession ends a session (logout); an unknown token is not an error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashSecret(token)); err != nil {
		return fmt.Errorf("survey: end session: %w", err)
	}
	return nil
}

// PurgeSessions deletes sessions past their absolute expiry or idle for
// longer than idle, returning how many went.
func (s *Store) PurgeSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`, stamp(now), stamp(now.Add(-idle)))
	if err != nil {
		return 0, fmt.Errorf("survey: purge sessions: %w", err)
	}
	return res.RowsAffected()
}

// SessionCount is the number of stored sessions of a user.
func (s *Store) SessionCount(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("survey: sessions of user %d: %w", userID, err)
	}
	return n, nil
}
