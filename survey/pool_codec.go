package survey

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"sort"
)

// A pool row's plaintext is padded to one size for its instrument and
// respondent type: the size of the largest submission that type can make —
// every item, every free text it answers at MaxTextLen bytes, the longest
// stratum, a device tag. Rows of one group are therefore all of one size,
// whatever the answers, and no larger than they must be: every byte of
// padding is written to the WAL, copied at the checkpoint and overwritten
// again (secure_delete) at the release.
//
// The plaintext starts with poolBinary; rows written before it start with
// the zero high byte of pad's length prefix and hold JSON (poolPayload).
const poolBinary byte = 1

// poolMaxChannel is the longest channel name.
const poolMaxChannel = len(ChannelInvitation)

// poolSize is the padded plaintext size of a pool row of instrument in for
// respondent type typ.
func poolSize(in *Instrument, typ string) int {
	const uv = binary.MaxVarintLen64
	n := 1 + // poolBinary
		uv + poolMaxChannel + // channel
		uv + len("2006-01-02T15") + // hour
		uv + // duration
		uv + len("id") + // language
		uv + 32 + // device tag
		uv + len(in.Items) + // answer vector
		uv // number of texts
	if st := in.Strata; st.For(typ) {
		longest := 0
		for _, o := range st.Options {
			longest = max(longest, len(o.Code))
		}
		n += uv + longest
	} else {
		n += uv
	}
	for _, it := range in.Items {
		if it.Scale.Kind == KindText && it.For(typ) {
			n += uv + len(it.Code) + uv + MaxTextLen
		}
	}
	return n
}

// encodePool writes p in the binary layout, padded with zeros to size (to
// a multiple of size should it not fit, which answers checked by
// ParseAnswers never do), into dst's memory when it is large enough.
func encodePool(dst []byte, p *poolPayload, size int) []byte {
	b := dst[:0]
	if cap(b) < size {
		b = make([]byte, 0, size)
	}
	b = append(b, poolBinary)
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	byt := func(s []byte) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	str(p.Channel)
	str(p.Hour)
	b = binary.AppendVarint(b, int64(p.Duration))
	str(p.Lang)
	byt(p.Device)
	byt(p.Answers)
	str(p.Stratum)
	codes := make([]string, 0, len(p.Texts))
	for c := range p.Texts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	b = binary.AppendUvarint(b, uint64(len(codes)))
	for _, c := range codes {
		str(c)
		str(p.Texts[c])
	}
	if size <= 0 {
		size = 1
	}
	n := (len(b) + size - 1) / size * size
	return append(b, make([]byte, n-len(b))...)
}

var errPoolMalformed = errors.New("survey: pool payload malformed")

// decodePool reads a pool row's plaintext in either layout.
func decodePool(pt []byte) (poolPayload, error) {
	var p poolPayload
	if len(pt) == 0 {
		return p, errPoolMalformed
	}
	if pt[0] != poolBinary {
		body, err := unpad(pt)
		if err == nil {
			err = json.Unmarshal(body, &p)
		}
		return p, err
	}
	b := pt[1:]
	bad := false
	uvarint := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			bad = true
			return 0
		}
		b = b[n:]
		return v
	}
	bytesOf := func() []byte {
		n := uvarint()
		if bad || n > uint64(len(b)) {
			bad = true
			return nil
		}
		v := b[:n:n]
		b = b[n:]
		return v
	}
	p.Channel = string(bytesOf())
	p.Hour = string(bytesOf())
	d, n := binary.Varint(b)
	if n <= 0 {
		return p, errPoolMalformed
	}
	b = b[n:]
	p.Duration = int(d)
	p.Lang = string(bytesOf())
	if dev := bytesOf(); len(dev) > 0 {
		p.Device = append([]byte(nil), dev...)
	}
	p.Answers = append([]byte(nil), bytesOf()...)
	p.Stratum = string(bytesOf())
	texts := uvarint()
	if bad || texts > uint64(len(b)) {
		return p, errPoolMalformed
	}
	if texts > 0 {
		p.Texts = make(map[string]string, texts)
		for range texts {
			c := string(bytesOf())
			p.Texts[c] = string(bytesOf())
		}
	}
	if bad {
		return p, errPoolMalformed
	}
	return p, nil
}
