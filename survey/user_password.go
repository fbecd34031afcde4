package survey

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Password rules: at least MinPasswordLen characters, and at most 72 bytes,
// the longest input bcrypt uses (longer ones would be silently cut).
const (
	MinPasswordLen   = 10
	MaxPasswordBytes = 72
)

// productionCost is bcrypt's work factor (about 0.25 s on a 2-core server).
const productionCost = 12

// Hashes of random strings, compared against when the e-mail is unknown so
// that an unknown account costs the same bcrypt work as a wrong password.
const (
	dummyHashProduction = "$2a$12$/.Hvt3y7gfAZeIARdrPVNeET/QySNUEQvUeUj9jLc79zTSkxIuTKe"
	dummyHashTest       = "$2a$04$R69axM4hRUkoaGMIy4KnP.apoCM5lzltTwtYWkrfcPSRJeFjjslJS"
)

// passwordCost is the bcrypt cost of new hashes. Test binaries use the
// minimum so that suites signing in many times stay fast under -race; the
// code path is otherwise the same.
func passwordCost() int {
	if testing.Testing() {
		return bcrypt.MinCost
	}
	return productionCost
}

func dummyHash() []byte {
	if testing.Testing() {
		return []byte(dummyHashTest)
	}
	return []byte(dummyHashProduction)
}

// CheckPassword applies the password rules without hashing.
func CheckPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return &AccountError{Field: "password", Code: "too_short"}
	}
	if len(pw) > MaxPasswordBytes {
		return &AccountError{Field: "password", Code: "too_long"}
	}
	return nil
}

func hashPassword(pw string) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), passwordCost())
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// passwordMatches compares in constant time for the hash's cost; a nil hash
// compares against a dummy so the caller spends the same time.
func passwordMatches(hash []byte, pw string) bool {
	if hash == nil {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword(hash, []byte(pw)) == nil
}
