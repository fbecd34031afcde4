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
func (s *Sealer) Seal(plaintext, ad []byte) []byte {
	out := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
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
