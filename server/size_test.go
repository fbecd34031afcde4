package server

import (
	"testing"

	"integritas/assets"
	"integritas/locale"
)

func TestPageHumanSize(t *testing.T) {
	b, err := locale.Load(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"id", 0, "0 B"}, {"id", 999, "999 B"}, {"id", 84_213, "84,2 kB"}, {"en", 84_213, "84.2 kB"},
		{"id", 1_312_400, "1,3 MB"}, {"en", 2_500_000_000, "2.5 GB"},
	} {
		p := &Page{translator: b.For(tc.lang)}
		if got := p.Size(tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}
