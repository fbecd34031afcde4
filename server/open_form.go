package server

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"time"

	"integritas/seal"
	"integritas/survey"
)

// An open-link form carries a signed token instead of a start time the
// browser could set: the period, the unit, when the server issued it and a
// random nonce, with a MAC under a key derived from the key file (never in
// the database). The server measures the fill time from issued-at, and the
// committer accepts each nonce once.
const (
	openFormVersion = 1
	openFormPayload = 1 + 8 + 8 + 8 + 16 // version, period id, unit id, issued-at, nonce
	openFormMAC     = 32
	// openFormTTL is how long a form can be sent after it was issued; a
	// later one is shown again, answers kept, with a fresh form.
	openFormTTL = 12 * time.Hour
	// openFormSkew tolerates clocks of several server processes.
	openFormSkew = time.Minute
)

// formState is what checking a posted form found.
type formState int

const (
	formOK      formState = iota
	formBad               // missing, malformed, forged, or for another period or unit
	formExpired           // genuine but older than openFormTTL
)

// openFormToken is a verified form.
type openFormToken struct {
	issued time.Time
	nonce  []byte
}

// expires is when the form stops being accepted (and its nonce is pruned).
func (t openFormToken) expires() time.Time { return t.issued.Add(openFormTTL) }

// openFormKey is the MAC key of open-link forms.
func openFormKey(k *seal.Key) *seal.Key { return k.Derive("open/form") }

// issueForm signs a fresh form for a unit of a period.
func (s *Server) issueForm(p *survey.Period, u survey.Unit) string {
	b := make([]byte, openFormPayload, openFormPayload+openFormMAC)
	b[0] = openFormVersion
	binary.BigEndian.PutUint64(b[1:], uint64(p.ID))
	binary.BigEndian.PutUint64(b[9:], uint64(u.ID))
	binary.BigEndian.PutUint64(b[17:], uint64(s.now().Unix()))
	rand.Read(b[25:openFormPayload])
	b = append(b, s.resp.formKey.MAC(b)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// checkForm verifies a posted form against the period and unit of the URL.
func (s *Server) checkForm(raw string, p *survey.Period, u survey.Unit) (openFormToken, formState) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(b) != openFormPayload+openFormMAC || b[0] != openFormVersion {
		return openFormToken{}, formBad
	}
	if !hmac.Equal(b[openFormPayload:], s.resp.formKey.MAC(b[:openFormPayload])) {
		return openFormToken{}, formBad
	}
	if int64(binary.BigEndian.Uint64(b[1:])) != p.ID || int64(binary.BigEndian.Uint64(b[9:])) != u.ID {
		return openFormToken{}, formBad
	}
	t := openFormToken{issued: time.Unix(int64(binary.BigEndian.Uint64(b[17:])), 0), nonce: b[25:openFormPayload]}
	now := s.now()
	switch {
	case t.issued.After(now.Add(openFormSkew)):
		return openFormToken{}, formBad
	case now.After(t.expires()):
		return t, formExpired
	}
	return t, formOK
}

// fillSeconds is the fill time the server measured from the form's
// issued-at. Under one second counts as one: 0 would read as "unknown" to
// the speeder check, the very answers it must see.
func (s *Server) fillSeconds(t openFormToken) int {
	return min(max(int(s.now().Sub(t.issued).Seconds()), 1), 604800)
}
