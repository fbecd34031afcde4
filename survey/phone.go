package survey

import (
	"strings"
)

// PhoneError says why a phone number cannot be used; Key is its message in
// the locale files (cycle.phone.*), so pages and the command line say it in
// the reader's language.
type PhoneError struct {
	Key   string
	Phone string
}

func (e *PhoneError) Error() string { return "survey: phone " + e.Phone + ": " + e.Key }

// NormalizePhone turns an Indonesian phone number as people write it
// (0812-3456-7890, +62 812 3456 7890, 62812…, 812…) into E.164 digits
// without the plus ("6281234567890"), the form wa.me links take. Other
// countries' numbers are accepted only with their "+" prefix. WhatsApp runs
// on mobile numbers, so an Indonesian number must be a mobile one (8…).
func NormalizePhone(s string) (string, error) {
	raw := s
	s = strings.TrimSpace(s)
	if s == "" {
		return "", &PhoneError{Key: "cycle.phone.empty", Phone: raw}
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		case r == '+' && i == 0:
			b.WriteRune(r)
		default:
			return "", &PhoneError{Key: "cycle.phone.chars", Phone: raw}
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "+62"):
		d = "62" + d[3:]
	case strings.HasPrefix(d, "+"):
		d = d[1:]
		if len(d) < 8 || len(d) > 15 || d[0] == '0' {
			return "", &PhoneError{Key: "cycle.phone.length", Phone: raw}
		}
		return d, nil
	case strings.HasPrefix(d, "62"):
	case strings.HasPrefix(d, "0"):
		d = "62" + d[1:]
	case strings.HasPrefix(d, "8"):
		d = "62" + d
	default:
		return "", &PhoneError{Key: "cycle.phone.not_mobile", Phone: raw}
	}
	national := d[2:]
	if !strings.HasPrefix(national, "8") {
		return "", &PhoneError{Key: "cycle.phone.not_mobile", Phone: raw}
	}
	if len(national) < 9 || len(national) > 12 {
		return "", &PhoneError{Key: "cycle.phone.length", Phone: raw}
	}
	return d, nil
}
