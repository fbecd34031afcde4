package survey

import (
	"bytes"
	"testing"
)

func TestAppendHourAD(t *testing.T) {
	for _, c := range [][2]int64{{1, 1}, {7, 1 << 52}, {12345, 987654321}} {
		if got, want := appendHourAD([]byte("old"), c[0], c[1])[3:], hourAD(c[0], c[1]); !bytes.Equal(got, want) {
			t.Errorf("appendHourAD%v = %q, want %q", c, got, want)
		}
	}
}
