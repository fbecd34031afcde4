package survey

import "errors"

// Sentinel errors, checked with errors.Is.
var (
	// ErrNotFound means the period, unit, invitation or row does not exist.
	ErrNotFound = errors.New("survey: not found")
	// ErrConflict means the row already exists (a duplicate code or e-mail).
	ErrConflict = errors.New("survey: already exists")
	// ErrClosed means the period does not accept answers or changes now.
	ErrClosed = errors.New("survey: period not open")
	// ErrUsed means the invitation has already been used.
	ErrUsed = errors.New("survey: invitation already used")
)
