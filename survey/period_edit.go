package survey

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrPastClosing means a period's closing date has passed, so it cannot
// open (or be extended to a date already past).
var ErrPastClosing = errors.New("survey: closing date has passed")

// ErrHasResponses means a period holds answers and cannot be deleted.
var ErrHasResponses = errors.New("survey: period has responses")

// PeriodEdit is a change to a draft period; nil fields stay as they are.
type PeriodEdit struct {
	Name       *string
	OpensOn    *string // "" clears the date
	ClosesOn   *string
	Settings   json.RawMessage // validated by the caller (analysis.ParseSettings)
	Instrument []byte          // a new instrument definition
}

// checkDate validates a YYYY-MM-DD date ("" allowed).
func checkDate(field, v string) error {
	if v == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return fmt.Errorf("survey: %s %q is not a date YYYY-MM-DD", field, v)
	}
	return nil
}

// EditDraftPeriod changes a draft period's name, dates, settings or
// instrument; an open or closed period is refused with ErrClosed.
func (s *Store) EditDraftPeriod(ctx context.Context, code string, e PeriodEdit) (*Period, error) {
	p, err := s.Period(ctx, code)
	if err != nil {
		return nil, err
	}
	if p.Status != StatusDraft {
		return nil, fmt.Errorf("survey: period %q is %s; only a draft can be edited (extend an open one): %w", code, p.Status, ErrClosed)
	}
	name, opens, closes := p.Name, p.OpensOn, p.ClosesOn
	if e.Name != nil && *e.Name != "" {
		name = *e.Name
	}
	if e.OpensOn != nil {
		opens = *e.OpensOn
	}
	if e.ClosesOn != nil {
		closes = *e.ClosesOn
	}
	if err := errors.Join(checkDate("opening date", opens), checkDate("closing date", closes), checkNames("period name", name)); err != nil {
		return nil, err
	}
	if opens != "" && closes != "" && opens > closes {
		return nil, fmt.Errorf("survey: opening date %s is after closing date %s", opens, closes)
	}
	settings := string(p.Settings)
	if len(e.Settings) > 0 {
		settings = string(e.Settings)
	}
	var inst *Instrument
	if len(e.Instrument) > 0 {
		if inst, err = LoadInstrument(e.Instrument); err != nil {
			return nil, err
		}
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if inst != nil {
			id, err := storeInstrument(ctx, tx, inst, e.Instrument, stamp(s.now()))
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE periods SET instrument_id = ? WHERE id = ? AND status = 'draft'`, id, p.ID); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE periods SET name = ?, opens_on = NULLIF(?, ''), closes_on = NULLIF(?, ''), settings = ?
			WHERE id = ? AND status = 'draft'`, name, opens, closes, settings, p.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("period %q is no longer a draft: %w", code, ErrClosed)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey: edit period %q: %w", code, err)
	}
	return s.Period(ctx, code)
}

// ExtendPeriod moves an open period's closing date later; the new date must
// not be before today (in UTC, as Accepting counts) nor before the old one.
func (s *Store) ExtendPeriod(ctx context.Context, code, closes string) (*Period, error) {
	if closes == "" {
		return nil, fmt.Errorf("survey: extend period %q: a closing date is required", code)
	}
	if err := checkDate("closing date", closes); err != nil {
		return nil, err
	}
	p, err := s.Period(ctx, code)
	if err != nil {
		return nil, err
	}
	if p.Status != StatusOpen {
		return nil, fmt.Errorf("survey: period %q is %s; only an open period can be extended (edit a draft): %w", code, p.Status, ErrClosed)
	}
	if today := s.now().UTC().Format(time.DateOnly); closes < today {
		return nil, fmt.Errorf("survey: extend period %q to %s, before today %s: %w", code, closes, today, ErrPastClosing)
	}
	if p.ClosesOn != "" && closes < p.ClosesOn {
		return nil, fmt.Errorf("survey: extend period %q: %s is before its closing date %s", code, closes, p.ClosesOn)
	}
	if p.OpensOn != "" && closes < p.OpensOn {
		return nil, fmt.Errorf("survey: extend period %q: %s is before its opening date %s", code, closes, p.OpensOn)
	}
	if _, err := s.w.ExecContext(ctx, `UPDATE periods SET closes_on = ? WHERE id = ? AND status = 'open'`, closes, p.ID); err != nil {
		return nil, fmt.Errorf("survey: extend period %q: %w", code, err)
	}
	return s.Period(ctx, code)
}

// DeletePeriod removes a period that holds no responses (nor saved
// drafts), with its units' frames, rosters, invitations and deliveries.
func (s *Store) DeletePeriod(ctx context.Context, code string) error {
	p, err := s.Period(ctx, code)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM responses WHERE period_id = ?)
			+ (SELECT count(*) FROM drafts d JOIN invitations i ON i.id = d.invitation_id WHERE i.period_id = ?)`, p.ID, p.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("period %q holds %d responses or saved answers: %w", code, n, ErrHasResponses)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM periods WHERE id = ?`, p.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("survey: delete period %q: %w", code, err)
	}
	return nil
}

// OpenPeriod opens a draft period for answers, refusing one whose closing
// date has passed (it would invite people to a survey that refuses them).
// Loading a past period's data (fixtures, the demo's previous year) uses
// SetPeriodStatus directly.
func (s *Store) OpenPeriod(ctx context.Context, code string) error {
	if err := s.checkOpenable(ctx, code); err != nil {
		return err
	}
	return s.SetPeriodStatus(ctx, code, StatusOpen)
}

// checkOpenable refuses to open a period whose closing date has passed.
func (s *Store) checkOpenable(ctx context.Context, code string) error {
	p, err := s.Period(ctx, code)
	if err != nil {
		return err
	}
	today := s.now().UTC().Format(time.DateOnly)
	if p.Status == StatusDraft && p.ClosesOn != "" && p.ClosesOn < today {
		return fmt.Errorf("survey: period %q closes on %s, before today %s; set a later closing date first (integritas period edit --period %s --closes YYYY-MM-DD): %w",
			code, p.ClosesOn, today, code, ErrPastClosing)
	}
	return nil
}
