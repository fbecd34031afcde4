package fastflate

import (
	"bytes"
	"compress/flate"
	"io"
	"strings"
	"testing"
)

// TestRoundTripAfterReuse compresses with lent compressors, the second
// reusing the first's pooled writer, and checks that each output inflates
// to its own input: a pooled writer must carry nothing from its last use.
func TestRoundTripAfterReuse(t *testing.T) {
	for _, in := range []string{strings.Repeat("integritas ", 5000), "kota sukamaju", ""} {
		var buf bytes.Buffer
		wc := WriteCloser(&buf)
		if _, err := io.WriteString(wc, in); err != nil {
			t.Fatal(err)
		}
		if err := wc.Close(); err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(flate.NewReader(&buf))
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != in {
			t.Fatalf("inflated %d bytes, want %d", len(out), len(in))
		}
	}
}
