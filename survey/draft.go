package survey

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"integritas/seal"
)

// Draft is what an invitation respondent saved so far: raw answers as typed
// (values as in ParseAnswers), the seconds spent on the questionnaire, and the
// language. It lives only until the invitation is used or the period closes.
//
// A draft is readable only with the respondent's link: it is sealed with a
// key derived from the raw token, which is never stored, and its row is named
// by a keyed hash (the store key) of the token's hash, so neither the
// database, its backups nor the key file alone can read it or say whose it
// is. A link re-issued (a reminder, a resend) starts a fresh draft.
type Draft struct {
	Answers map[string]string `json:"answers"`
	Elapsed int               `json:"elapsed"`
	Lang    string            `json:"lang"`
}

// maxDraftAnswers bounds what a draft keeps, whatever a client sends.
const maxDraftAnswers = maxItems + 1

// draftID names the draft of the invitation whose token hashes to hash.
func (s *Store) draftID(tokenHash []byte) []byte { return s.draftIDKey.MAC(tokenHash) }

// draftKey derives the sealing key of a draft from the raw token (never
// from its stored hash).
func draftKey(token string) (*seal.Key, error) {
	raw, err := tokenEncoding.DecodeString(token)
	if err != nil || len(raw) != 32 {
		return nil, fmt.Errorf("survey: draft: %w", ErrNotFound)
	}
	k, err := hkdf.Key(sha256.New, raw, nil, "integritas/draft", seal.KeySize)
	if err != nil {
		return nil, err
	}
	return seal.FromBytes(k)
}

// SaveDraft keeps the answers of the unused invitation of token, replacing
// earlier ones. Only the instrument's item codes (and the strata code) are
// kept, text clipped to MaxTextLen. A used (or vanished) invitation gets
// ErrUsed: the check and the write are one statement, so a draft never
// outlives a submit.
func (s *Store) SaveDraft(ctx context.Context, token string, in *Instrument, d Draft) error {
	hash, err := TokenHash(token)
	if err != nil {
		return err
	}
	key, err := draftKey(token)
	if err != nil {
		return err
	}
	keep := make(map[string]string, len(d.Answers))
	for code, v := range d.Answers {
		_, _, isItem := in.Item(code)
		isStrata := in.Strata != nil && in.Strata.Code == code
		if (!isItem && !isStrata) || v == "" || len(keep) >= maxDraftAnswers {
			continue
		}
		if len(v) > MaxTextLen {
			v = clip(v[:MaxTextLen])
		}
		keep[code] = v
	}
	d.Answers = keep
	d.Elapsed = min(max(d.Elapsed, 0), maxDuration)
	if d.Lang != "en" {
		d.Lang = "id"
	}
	body, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("survey: save draft: %w", err)
	}
	id := s.draftID(hash)
	res, err := s.w.ExecContext(ctx, `INSERT INTO sealed_drafts (id, period_id, sealed)
		SELECT ?, period_id, ? FROM invitations WHERE token_hash = ? AND used = 0
		ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed`,
		id, key.Seal(pad(body), id), hash)
	if err != nil {
		return fmt.Errorf("survey: save draft: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("survey: save draft: %w", ErrUsed)
	}
	s.observe()
	return nil
}

// loadDraft reads and opens the draft of token, or returns nil.
func (s *Store) loadDraft(ctx context.Context, q func(context.Context, ...any) *sql.Row, token string, hash []byte) (*Draft, error) {
	id := s.draftID(hash)
	var box []byte
	err := q(ctx, id).Scan(&box)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return openDraft(token, id, box)
}

// openDraft opens the sealed draft box stored under id with token's key.
func openDraft(token string, id, box []byte) (*Draft, error) {
	key, err := draftKey(token)
	if err != nil {
		return nil, err
	}
	pt, err := key.Open(box, id)
	if err == nil {
		pt, err = unpad(pt)
	}
	var d Draft
	if err == nil {
		err = json.Unmarshal(pt, &d)
	}
	if err != nil {
		return nil, fmt.Errorf("survey: draft: %w", err)
	}
	if d.Answers == nil {
		d.Answers = map[string]string{}
	}
	return &d, nil
}

// maxDuration is the longest completion time kept, in seconds (a week, as
// the responses.duration_seconds CHECK allows).
const maxDuration = 604800
