package server

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"strconv"
	"strings"
)

// The cached questionnaire (respond_cache.go) goes to a browser that accepts
// gzip compressed — the internal questionnaire is about 35 KB of HTML and
// about 6 KB compressed, which a respondent on a phone's data plan feels —
// at no compression cost per request: each static part is compressed once,
// when the page is cached, into deflate blocks that end on a byte boundary
// (a sync flush), and a request's values go between them as stored, that
// is uncompressed, blocks. What is left per request is the CRC-32 of the
// page, a few microseconds.
//
// The request's values include the invitation's token (in the path). They
// are never compressed, nor compressed against anything, so the size of
// the answer does not depend on their content, only on their length: no
// compression side channel (BREACH) can recover them from it.

// deflatePage compresses each static part of cp into raw deflate blocks
// that end with a sync flush: byte-aligned, none final, so that the parts
// and stored blocks between them concatenate into one deflate stream.
func deflatePage(cp *cachedPage) error {
	var buf bytes.Buffer
	zw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return err
	}
	cp.zparts = make([][]byte, len(cp.parts))
	for i, p := range cp.parts {
		if p == "" {
			continue
		}
		buf.Reset()
		zw.Reset(&buf) // a fresh window: a part never refers to another's text
		if _, err := zw.Write([]byte(p)); err != nil {
			return err
		}
		if err := zw.Flush(); err != nil {
			return err
		}
		cp.zparts[i] = bytes.Clone(buf.Bytes())
	}
	return nil
}

// gzipHeader is a gzip member's header: deflate, no name, no time, unknown
// operating system.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// finalBlock is an empty stored block marked final: the deflate stream's end.
var finalBlock = []byte{1, 0, 0, 0xff, 0xff}

// writeGzip writes cp with vals in its slots to out as one gzip member;
// plain is the same page uncompressed, for the trailer's CRC and length.
func (cp *cachedPage) writeGzip(out *bytes.Buffer, vals *[slotCount]string, plain []byte) {
	out.Write(gzipHeader)
	for i, z := range cp.zparts {
		out.Write(z)
		if i < len(cp.slots) {
			writeStored(out, vals[cp.slots[i]])
		}
	}
	out.Write(finalBlock)
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc32.ChecksumIEEE(plain))
	binary.LittleEndian.PutUint32(trailer[4:], uint32(len(plain)))
	out.Write(trailer[:])
}

// writeStored writes v as stored deflate blocks, none final (RFC 1951
// 3.2.4): each a zero header byte, as the stream is byte-aligned here, the
// length and its complement, then at most 65,535 bytes as they are.
func writeStored(out *bytes.Buffer, v string) {
	for v != "" {
		n := min(len(v), 0xffff)
		hdr := [5]byte{0, byte(n), byte(n >> 8), ^byte(n), ^byte(n >> 8)}
		out.Write(hdr[:])
		out.WriteString(v[:n])
		v = v[n:]
	}
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip: named
// (or as x-gzip) with a quality above zero, or left to a "*" that is.
func acceptsGzip(header string) bool {
	star := false
	for item := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(item, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		ok := qualityAboveZero(params)
		switch coding {
		case "gzip", "x-gzip":
			return ok
		case "*":
			star = ok
		}
	}
	return star
}

// qualityAboveZero reads the q parameter of an Accept-Encoding item: absent
// is 1, and a malformed one counts as not acceptable.
func qualityAboveZero(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && q > 0
	}
	return true
}
