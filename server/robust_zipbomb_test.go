package server

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// zipBomb builds a workbook-shaped zip of under a megabyte whose one part
// inflates to n MiB of zeros. The deflate stream is one sync-flushed block
// of 1 MiB repeated n times (each copy only refers back inside itself), so
// the test never has to compress a gigabyte. declared is the size written in
// the zip directory: n MiB when honest, or a small lie.
func zipBomb(t *testing.T, n int, declared uint64) []byte {
	t.Helper()
	zeros := make([]byte, 1<<20)
	var chunk bytes.Buffer
	fw, _ := flate.NewWriter(&chunk, flate.BestCompression)
	fw.Write(zeros)
	fw.Flush()
	var crc uint32
	var stream bytes.Buffer
	for range n {
		stream.Write(chunk.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	stream.Write([]byte{0x03, 0x00}) // final empty block
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/sharedStrings.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(stream.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(stream.Bytes())
	ct, _ := zw.Create("[Content_Types].xml")
	ct.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	zw.Close()
	return out.Bytes()
}

// TestZipBombUploadRefused uploads ~900 KB zips that inflate to 900 MiB as a
// returned action plan. Before the workbook checks, excelize (16 GB default
// limit) read the whole part into memory; now the zip directory is checked
// first and a lying directory is caught by archive/zip at the declared size.
// Memory is measured as bytes allocated during the request (TotalAlloc), an
// upper bound on the extra heap the server needed at its peak.
func TestZipBombUploadRefused(t *testing.T) {
	e := newTestEnv(t)
	insp := e.loginAs("inspector")
	const mib = 900
	for _, tc := range []struct {
		name     string
		declared uint64
		want     string
	}{
		{"honest directory", mib << 20, "terlalu besar setelah dibuka"},
		{"lying directory", 1000, "bukan lembar rencana aksi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bomb := zipBomb(t, mib, tc.declared)
			t.Logf("bomb: %d bytes zipped, %d MiB unzipped", len(bomb), mib)
			body, h := upload(t, nil, map[string]string{"file:rencana.xlsx": string(bomb)}, insp)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			code, page, _ := e.do("POST", "/inspectorate/SPI-T/followup/upload", body, h)
			runtime.ReadMemStats(&after)
			extra := (after.TotalAlloc - before.TotalAlloc) >> 20
			t.Logf("allocated during the request: %d MiB", extra)
			if code != http.StatusBadRequest || !strings.Contains(page, tc.want) {
				t.Errorf("status %d, want 400 with %q: %.300s", code, tc.want, page)
			}
			if extra >= 50 {
				t.Errorf("the refusal allocated %d MiB, want under 50", extra)
			}
		})
	}
}
