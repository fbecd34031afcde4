package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// KeySize is the length of the master key and of every derived subkey.
const KeySize = 32

// ErrOpen is returned when a sealed value cannot be opened: wrong key, wrong
// purpose or tampered bytes.
var ErrOpen = errors.New("seal: cannot open sealed value")

// Key is the master key read from the key file. The zero value is unusable.
type Key struct {
	master [KeySize]byte
}

// LoadOrCreate reads the key file at path, creating it (mode 0400, 32 random
// bytes as hex) when it does not exist. A file that exists but cannot be read
// or holds no valid key is an error: silently making a new key would make
// everything sealed with the old one unreadable.
func LoadOrCreate(path string) (*Key, error) {
	k, err := Load(path)
	if err == nil {
		return k, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var raw [KeySize]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("seal: new key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o400)
	if errors.Is(err, fs.ErrExist) {
		return Load(path) // another process created it first
	}
	if err != nil {
		return nil, fmt.Errorf("seal: create key file %s: %w", path, err)
	}
	if _, err := f.WriteString(hex.EncodeToString(raw[:]) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("seal: write key file %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("seal: sync key file %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("seal: close key file %s: %w", path, err)
	}
	return &Key{master: raw}, nil
}

// Load reads an existing key file.
func Load(path string) (*Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seal: read key file: %w", err)
	}
	raw, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(raw) != KeySize {
		return nil, fmt.Errorf("seal: key file %s does not hold a %d-byte hex key", path, KeySize)
	}
	k := &Key{}
	copy(k.master[:], raw)
	return k, nil
}

// FromBytes makes a key from raw bytes (tests, and keys derived from tokens).
func FromBytes(raw []byte) (*Key, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("seal: key must be %d bytes, got %d", KeySize, len(raw))
	}
	k := &Key{}
	copy(k.master[:], raw)
	return k, nil
}

// Derive returns a subkey for one purpose (e.g. "pool", "hour",
// "device/SPI-2026"). Different purposes give independent keys, so a value
// sealed for one purpose never opens under another.
func (k *Key) Derive(purpose string) *Key {
	sub, err := hkdf.Key(sha256.New, k.master[:], nil, "integritas/"+purpose, KeySize)
	if err != nil {
		panic("seal: hkdf: " + err.Error()) // only on a length beyond HKDF's limit
	}
	d := &Key{}
	copy(d.master[:], sub)
	return d
}

// MAC is HMAC-SHA256 of msg under the key: a keyed, one-way tag that is
// stable for equal inputs (lookups) and meaningless without the key.
func (k *Key) MAC(msg []byte) []byte {
	m := hmac.New(sha256.New, k.master[:])
	m.Write(msg)
	return m.Sum(nil)
}

// Seal encrypts plaintext with AES-256-GCM under a fresh random nonce; ad is
// authenticated but not stored (bind the value to its row, e.g. a period id).
func (k *Key) Seal(plaintext, ad []byte) []byte {
	aead := k.aead()
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		panic("seal: random nonce: " + err.Error()) // crypto/rand never fails on Linux
	}
	return aead.Seal(out, out, plaintext, ad)
}

// Open decrypts what Seal produced with the same key and ad.
func (k *Key) Open(sealed, ad []byte) ([]byte, error) {
	aead := k.aead()
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrOpen
	}
	n := aead.NonceSize()
	pt, err := aead.Open(nil, sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

func (k *Key) aead() cipher.AEAD {
	block, err := aes.NewCipher(k.master[:])
	if err != nil {
		panic("seal: aes: " + err.Error()) // the key is always 32 bytes
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("seal: gcm: " + err.Error())
	}
	return aead
}
