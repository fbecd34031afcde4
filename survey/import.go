package survey

import (
	"context"
	"fmt"
	"io"
)

// ImportUnitsCSV parses a units file and stores it for the period, all or nothing.
func (s *Store) ImportUnitsCSV(ctx context.Context, p *Period, name string, r io.Reader) (int, error) {
	units, err := ParseUnitsCSV(name, r)
	if err != nil {
		return 0, err
	}
	if p.Status == StatusClosed {
		return 0, fmt.Errorf("survey: import units into %q: %w", p.Code, ErrClosed)
	}
	if err := s.ImportUnits(ctx, p.ID, units); err != nil {
		return 0, err
	}
	return len(units), nil
}

// ImportRosterCSV parses a roster file and stores it, all or nothing. The
// warnings name rows that fall outside the internal frame.
func (s *Store) ImportRosterCSV(ctx context.Context, p *Period, name string, r io.Reader) (int, []RowError, error) {
	entries, warnings, err := ParseRosterCSV(name, r)
	if err != nil {
		return 0, nil, err
	}
	if p.Status == StatusClosed {
		return 0, nil, fmt.Errorf("survey: import roster into %q: %w", p.Code, ErrClosed)
	}
	if err := s.ImportRoster(ctx, p.ID, entries); err != nil {
		return 0, nil, err
	}
	return len(entries), warnings, nil
}

// ImportResponsesCSV parses responses (paper questionnaires, other tools) and
// stores them, all or nothing. A closed period is frozen and refuses them.
func (s *Store) ImportResponsesCSV(ctx context.Context, p *Period, name string, r io.Reader) (int, error) {
	if p.Status == StatusClosed {
		return 0, fmt.Errorf("survey: import responses into %q: %w", p.Code, ErrClosed)
	}
	units, err := s.Units(ctx, p.ID)
	if err != nil {
		return 0, err
	}
	frame := ResponseFrame{PeriodID: p.ID, Instrument: p.Instrument, Units: map[string]int64{}, Submitted: s.now()}
	for _, u := range units {
		frame.Units[u.Code] = u.ID
	}
	rs, err := ParseResponsesCSV(name, r, frame)
	if err != nil {
		return 0, err
	}
	if err := s.InsertResponses(ctx, rs); err != nil {
		return 0, err
	}
	return len(rs), nil
}
