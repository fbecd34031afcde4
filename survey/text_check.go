package survey

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// ErrControlChars means a name holds control characters.
var ErrControlChars = errors.New("survey: control characters in a name")

// HasControl reports whether s holds what has no place in a name: a control
// character (a line break, tab, NUL, escape: they break CSV lines, log lines
// and the letters' layout), a bidirectional override or isolate (they make
// a name read differently than it is stored), a line or paragraph
// separator, or invalid UTF-8.
func HasControl(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return true
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x2028, r == 0x2029:
			return true
		}
	}
	return false
}

// checkNames answers ErrControlChars naming the first field (by label)
// whose value holds control characters.
func checkNames(kv ...string) error {
	for i := 0; i+1 < len(kv); i += 2 {
		if HasControl(kv[i+1]) {
			return fmt.Errorf("%s: %w", kv[i], ErrControlChars)
		}
	}
	return nil
}
