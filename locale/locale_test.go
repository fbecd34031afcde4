package locale

import (
	"encoding/json"
	"io/fs"
	"strings"
	"sync"
	"testing"

	"integritas/assets"
)

func TestNum(t *testing.T) {
	b, err := Load(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	id, en := b.For("id"), b.For("en")
	cases := []struct {
		v        float64
		d        int
		idW, enW string
	}{
		{74.2149, 2, "74,21", "74.21"},
		{1234567.5, 1, "1.234.567,5", "1,234,567.5"},
		{-3.456, 1, "-3,5", "-3.5"},
		{100, 0, "100", "100"},
	}
	for _, c := range cases {
		if got := id.Num(c.v, c.d); got != c.idW {
			t.Errorf("id %v: %q want %q", c.v, got, c.idW)
		}
		if got := en.Num(c.v, c.d); got != c.enW {
			t.Errorf("en %v: %q want %q", c.v, got, c.enW)
		}
	}
}

func TestPick(t *testing.T) {
	cases := []struct{ q, c, a, want string }{
		{"en", "", "", "en"}, {"", "en", "id", "en"}, {"", "", "en-US,en;q=0.9", "en"},
		{"", "", "id-ID,id;q=0.9,en;q=0.5", "id"}, {"", "", "fr", "id"}, {"xx", "", "", "id"},
		{"", "", "en-GB,en;q=0.9,id;q=0.8", "en"}, {"", "", "fr-FR,fr;q=0.9,en;q=0.8", "en"},
		{"", "", "ms-MY,ms;q=0.9", "id"}, {"", "", "*", "id"}, {"", "", "not a header;;", "id"},
	}
	// Requests share one matcher: every case at once, from several
	// goroutines, under the race detector (go test -race) as in CI.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, c := range cases {
				if got := Pick(c.q, c.c, c.a); got != c.want {
					t.Errorf("Pick(%q,%q,%q) = %q, want %q", c.q, c.c, c.a, got, c.want)
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkPick is the language choice every request makes, with a
// phone's Accept-Language header.
func BenchmarkPick(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if Pick("", "", "id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7") != "id" {
			b.Fatal("not id")
		}
	}
}

// Every message exists in both languages, with the same placeholders.
func TestLocalesComplete(t *testing.T) {
	files, _ := fs.Glob(assets.FS, "locales/*.json")
	msgs := map[string]map[string]string{} // area.lang -> messages
	for _, f := range files {
		raw, _ := fs.ReadFile(assets.FS, f)
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		msgs[strings.TrimPrefix(f, "locales/")] = m
	}
	for name, m := range msgs {
		if !strings.HasSuffix(name, ".id.json") {
			continue
		}
		en := msgs[strings.TrimSuffix(name, ".id.json")+".en.json"]
		if en == nil {
			t.Errorf("%s has no English twin", name)
			continue
		}
		for k, v := range m {
			e, ok := en[k]
			if !ok {
				t.Errorf("%s: %s has no English text", name, k)
				continue
			}
			if strings.Count(v, "{{") != strings.Count(e, "{{") {
				t.Errorf("%s: %s placeholders differ between id and en", name, k)
			}
		}
		for k := range en {
			if _, ok := m[k]; !ok {
				t.Errorf("%s: %s has no Indonesian text", name, k)
			}
		}
	}
}
