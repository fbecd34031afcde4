package seal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadOrCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "integritas.key")
	k1, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o400 {
		t.Errorf("key file mode %v, want 0400", st.Mode().Perm())
	}
	k2, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if k1.master != k2.master {
		t.Error("reopening the key file gave another key")
	}
}

func TestLoadRefusesBadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.key")
	if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate(path); err == nil {
		t.Fatal("a key file with garbage was accepted (and would have been replaced)")
	}
	b, _ := os.ReadFile(path)
	if string(b) != "not a key\n" {
		t.Error("a bad key file was overwritten")
	}
}

func TestSealOpen(t *testing.T) {
	k, _ := FromBytes(bytes.Repeat([]byte{7}, KeySize))
	pool := k.Derive("pool")
	msg := []byte("answers 1 2 3")
	s1, s2 := pool.Seal(msg, []byte("ad")), pool.Seal(msg, []byte("ad"))
	if bytes.Equal(s1, s2) {
		t.Error("two seals of the same value are equal: the nonce is not fresh")
	}
	if bytes.Contains(s1, msg) {
		t.Error("sealed bytes hold the plaintext")
	}
	got, err := pool.Open(s1, []byte("ad"))
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	cases := map[string]func() error{
		"wrong ad":      func() error { _, err := pool.Open(s1, []byte("other")); return err },
		"wrong purpose": func() error { _, err := k.Derive("hour").Open(s1, []byte("ad")); return err },
		"tampered": func() error {
			b := bytes.Clone(s1)
			b[len(b)-1] ^= 1
			_, err := pool.Open(b, []byte("ad"))
			return err
		},
		"short": func() error { _, err := pool.Open(s1[:5], []byte("ad")); return err },
	}
	for name, f := range cases {
		if err := f(); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: err = %v, want ErrOpen", name, err)
		}
	}
}

func TestMACDependsOnKey(t *testing.T) {
	k, _ := FromBytes(bytes.Repeat([]byte{1}, KeySize))
	a := k.Derive("device/P1").MAC([]byte("cookie"))
	b := k.Derive("device/P2").MAC([]byte("cookie"))
	if bytes.Equal(a, b) {
		t.Error("device tags of two periods are equal: the cookie links periods")
	}
	if !bytes.Equal(a, k.Derive("device/P1").MAC([]byte("cookie"))) {
		t.Error("MAC is not stable")
	}
}

func TestSealerMatchesKey(t *testing.T) {
	k, _ := FromBytes(make([]byte, KeySize))
	s := k.Derive("hour").Sealer()
	box := s.Seal([]byte("2026-07-01T09"), []byte("ad"))
	if pt, err := k.Derive("hour").Open(box, []byte("ad")); err != nil || string(pt) != "2026-07-01T09" {
		t.Fatalf("Key.Open of Sealer.Seal: %q %v", pt, err)
	}
	if _, err := s.Open(nil, box, []byte("other")); err == nil {
		t.Fatal("opened under another ad")
	}
	if _, err := k.Derive("pool").Sealer().Open(nil, box, []byte("ad")); err == nil {
		t.Fatal("opened under another purpose")
	}
}
