package survey

import (
	"context"
	"encoding/json"
	"fmt"
)

// Draft is what an invitation respondent saved so far: raw answers as typed
// (values as in ParseAnswers), the seconds spent on the questionnaire, and the
// language. It lives only until the invitation is used.
type Draft struct {
	Answers map[string]string `json:"answers"`
	Elapsed int               `json:"elapsed"`
	Lang    string            `json:"-"`
}

// maxDraftAnswers bounds what a draft keeps, whatever a client sends.
const maxDraftAnswers = maxItems + 1

// SaveDraft keeps the answers of an unused invitation, replacing earlier
// ones. Only the instrument's item codes (and the strata code) are kept, text
// clipped to MaxTextLen. A used (or vanished) invitation gets ErrUsed: the
// check and the write are one statement, so a draft never outlives a submit.
func (s *Store) SaveDraft(ctx context.Context, inv *Invitation, in *Instrument, d Draft) error {
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
	body, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("survey: save draft: %w", err)
	}
	lang := d.Lang
	if lang != "en" {
		lang = "id"
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO drafts (invitation_id, answers, lang, updated_at)
		SELECT id, ?, ?, ? FROM invitations WHERE id = ? AND used = 0
		ON CONFLICT (invitation_id) DO UPDATE SET answers = excluded.answers, lang = excluded.lang, updated_at = excluded.updated_at`,
		string(body), lang, stamp(s.now()), inv.ID)
	if err != nil {
		return fmt.Errorf("survey: save draft: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("survey: save draft: %w", ErrUsed)
	}
	return nil
}

func decodeDraft(body string) (*Draft, error) {
	var d Draft
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		return nil, err
	}
	if d.Answers == nil {
		d.Answers = map[string]string{}
	}
	return &d, nil
}

// maxDuration is the longest completion time kept, in seconds (a week, as
// the responses.duration_seconds CHECK allows).
const maxDuration = 604800
