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

// ResponseImport is how a response import treats its rows.
type ResponseImport struct {
	Strict bool // refuse rows that skip a required item (ResponseFrame.Strict)
}

// ImportedResponses is what a response import stored.
type ImportedResponses struct {
	Stored     int // responses stored
	Incomplete int // of them, paper responses that skip a required item
}

// ImportResponsesCSV parses responses (paper questionnaires, other tools) and
// stores them, all or nothing. A closed period is frozen and refuses them.
// Like every paper response they go straight to the responses table, not
// through the sealed pool: they name nobody.
func (s *Store) ImportResponsesCSV(ctx context.Context, p *Period, name string, r io.Reader, opt ResponseImport) (ImportedResponses, error) {
	var out ImportedResponses
	if p.Status == StatusClosed {
		return out, fmt.Errorf("survey: import responses into %q: %w", p.Code, ErrClosed)
	}
	units, err := s.Units(ctx, p.ID)
	if err != nil {
		return out, err
	}
	frame := ResponseFrame{PeriodID: p.ID, Instrument: p.Instrument, Units: map[string]int64{}, Submitted: s.now(), Strict: opt.Strict}
	for _, u := range units {
		frame.Units[u.Code] = u.ID
	}
	rs, err := ParseResponsesCSV(name, r, frame)
	if err != nil {
		return out, err
	}
	if err := s.InsertResponses(ctx, rs); err != nil {
		return out, err
	}
	out.Stored = len(rs)
	for i := range rs {
		if p.Instrument.SkippedRequired(rs[i].Type, rs[i].Answers.Vector) > 0 {
			out.Incomplete++
		}
	}
	return out, nil
}
