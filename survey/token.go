package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TokenPrefix starts every personal API token, so that a leaked one is easy
// to recognise (and for secret scanners to find).
const TokenPrefix = "itg_"

// APIToken describes a personal API token; the token itself is never stored.
type APIToken struct {
	ID        int64
	UserID    int64
	Email     string
	Name      string
	CreatedAt time.Time
	LastUsed  time.Time // zero when never used
	Expires   time.Time // a token stops working at this time
	Revoked   bool
}

// Token lifetimes: a token made without one lives DefaultTokenTTL; none
// lives longer than MaxTokenTTL, so a forgotten token dies by itself.
const (
	DefaultTokenTTL = 90 * 24 * time.Hour
	MaxTokenTTL     = 366 * 24 * time.Hour
)

// Expired reports whether the token no longer works at now.
func (t APIToken) Expired(now time.Time) bool { return !now.Before(t.Expires) }

// CreateToken makes a personal API token for the account with the e-mail,
// living DefaultTokenTTL, and returns it; it cannot be shown again, only
// its SHA-256 is kept.
func (s *Store) CreateToken(ctx context.Context, email, name string) (string, *APIToken, error) {
	return s.CreateTokenTTL(ctx, email, name, DefaultTokenTTL)
}

// CreateTokenTTL is CreateToken with a lifetime of a day to MaxTokenTTL.
func (s *Store) CreateTokenTTL(ctx context.Context, email, name string, ttl time.Duration) (string, *APIToken, error) {
	if ttl < 24*time.Hour || ttl > MaxTokenTTL {
		return "", nil, &AccountError{Field: "expires", Code: "invalid"}
	}
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return "", nil, err
	}
	if u.Disabled {
		return "", nil, &AccountError{Field: "email", Code: "disabled"}
	}
	name = strings.TrimSpace(name)
	if len(name) > 200 {
		return "", nil, &AccountError{Field: "name", Code: "too_long"}
	}
	if HasControl(name) {
		return "", nil, &AccountError{Field: "name", Code: "control"}
	}
	tok, hash := newSecret(TokenPrefix)
	now := s.now()
	expires := now.Add(ttl).UTC().Truncate(time.Second)
	id, err := insertID(ctx, s.w, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		u.ID, name, hash, stamp(now), stamp(expires))
	if err != nil {
		return "", nil, fmt.Errorf("survey: create token: %w", err)
	}
	return tok, &APIToken{ID: id, UserID: u.ID, Email: u.Email, Name: name, CreatedAt: now.UTC().Truncate(time.Second), Expires: expires}, nil
}

// TokenUser returns the enabled user of a live (unrevoked, unexpired)
// token, or ErrNotFound, and notes when the token was last used.
func (s *Store) TokenUser(ctx context.Context, token string, now time.Time) (*User, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, fmt.Errorf("survey: token: %w", ErrNotFound)
	}
	hash := hashSecret(token)
	var id, userID int64
	var lastUsed string
	err := s.r.QueryRowContext(ctx, `SELECT t.id, t.user_id, COALESCE(t.last_used_at, '') FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND u.disabled = 0`, hash, stamp(now)).Scan(&id, &userID, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("survey: token: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("survey: token: %w", err)
	}
	if last, _ := time.Parse(time.RFC3339, lastUsed); lastUsed == "" || now.Sub(last) >= time.Minute {
		if _, err := s.w.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, stamp(now), id); err != nil {
			return nil, fmt.Errorf("survey: token use: %w", err)
		}
	}
	return s.UserByID(ctx, userID)
}

// Tokens lists the API tokens of every account, or of one e-mail.
func (s *Store) Tokens(ctx context.Context, email string) ([]APIToken, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT t.id, t.user_id, u.email, t.name, t.created_at, COALESCE(t.last_used_at, ''), COALESCE(t.expires_at, ''), t.revoked_at IS NOT NULL
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE ? = '' OR u.email = ? ORDER BY t.id`, email, email)
	if err != nil {
		return nil, fmt.Errorf("survey: tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var created, used, expires string
		if err := rows.Scan(&t.ID, &t.UserID, &t.Email, &t.Name, &created, &used, &expires, &t.Revoked); err != nil {
			return nil, fmt.Errorf("survey: tokens: %w", err)
		}
		t.CreatedAt, _ = time.Parse(time.RFC3339, created)
		t.Expires, _ = time.Parse(time.RFC3339, expires) // zero (long past) when missing: expired
		if used != "" {
			t.LastUsed, _ = time.Parse(time.RFC3339, used)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken stops a token from working; revoking twice is ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, stamp(s.now()), id)
	if err != nil {
		return fmt.Errorf("survey: revoke token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("survey: token %d: %w", id, ErrNotFound)
	}
	return nil
}
