package seal

import (
	"crypto/cipher"
	"crypto/rand"
)

// Sealer is a key's AES-GCM prepared once, for loops that seal or open many
// small values (a period's submission hours): Key.Seal and Key.Open set the
// cipher up on every call. Safe for concurrent use.
type Sealer struct{ aead cipher.AEAD }

// Sealer prepares the key's cipher.
func (k *Key) Sealer() *Sealer { return &Sealer{aead: k.aead()} }

// Seal is Key.Seal.
func (s *Sealer) Seal(plaintext, ad []byte) []byte { return s.SealTo(nil, plaintext, ad) }

// SealTo is Seal into dst's memory (reused when large enough; plaintext
// must not overlap it), for a writer that seals large values one at a time.
func (s *Sealer) SealTo(dst, plaintext, ad []byte) []byte {
	n := s.aead.NonceSize()
	out := dst[:0]
	if need := n + len(plaintext) + s.aead.Overhead(); cap(out) < need {
		out = make([]byte, 0, need)
	}
	out = out[:n]
	if _, err := rand.Read(out); err != nil {
		panic("seal: random nonce: " + err.Error())
	}
	return s.aead.Seal(out, out, plaintext, ad)
}

// Open is Key.Open; dst (may be nil) is reused for the plaintext.
func (s *Sealer) Open(dst, sealed, ad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, ErrOpen
	}
	pt, err := s.aead.Open(dst[:0], sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}
