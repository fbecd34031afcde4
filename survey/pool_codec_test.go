package survey

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestPoolCodec reads back both layouts: the binary one written now, and
// the padded JSON of pool rows written before it (a pool can outlive an
// upgrade).
func TestPoolCodec(t *testing.T) {
	p := poolPayload{Channel: ChannelOpen, Hour: "2026-06-15T09", Duration: -1, Lang: "en", Device: make([]byte, 32),
		Stratum: "G3", Answers: []byte{1, 2, 255, 0}, Texts: map[string]string{"X01": "a <b> & \"c\"", "X02": "é"}}
	legacy, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for name, pt := range map[string][]byte{"binary": encodePool(nil, &p, 4096), "legacy": pad(legacy)} {
		got, err := decodePool(pt)
		if err != nil || !reflect.DeepEqual(got, p) {
			t.Errorf("%s: %+v, %v; want %+v", name, got, err, p)
		}
	}
	if n := len(encodePool(nil, &p, 40)); n <= 40 || n%40 != 0 {
		t.Errorf("a payload over its size padded to %d bytes, want a multiple of 40", n)
	}
	for _, bad := range [][]byte{nil, {poolBinary}, {poolBinary, 200}} {
		if _, err := decodePool(bad); err == nil {
			t.Errorf("%v decoded", bad)
		}
	}
}
