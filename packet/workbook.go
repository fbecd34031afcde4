package packet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Limits on an uploaded workbook. A returned action-plan workbook is a packet
// workbook of a few hundred rows: well under a megabyte compressed and a few
// megabytes unzipped. excelize's defaults (16 GB unzipped) let a 1 MB zip
// bomb take gigabytes of memory, so the archive's own directory is checked
// before excelize sees it, and excelize is then held to the same bounds.
const (
	maxWorkbookZip     = 4 << 20  // compressed bytes read at all
	maxWorkbookEntries = 256      // files in the archive
	maxWorkbookBytes   = 24 << 20 // total declared uncompressed size
	maxWorkbookXML     = 8 << 20  // one XML part kept in memory by excelize
	maxWorkbookRatio   = 200      // uncompressed/compressed of one large entry
	ratioFloor         = 1 << 20  // entries below this may compress any amount
)

// ErrWorkbookLimits means an uploaded workbook would expand beyond the
// limits above (a zip bomb, or simply not a returned plan).
var ErrWorkbookLimits = fmt.Errorf("%w: workbook too large when unzipped", ErrPlanSheet)

// workbookSlot lets one upload at a time be unzipped and parsed, so a burst
// of uploads costs the memory of one. It is a semaphore, not state: the
// bound is on the host's memory, shared by every server in the process.
var workbookSlot = make(chan struct{}, 1)

// openWorkbook reads an uploaded workbook within the limits and opens it.
// Go's archive/zip refuses an entry that inflates past its declared size,
// so checking the declared sizes bounds what is really decompressed.
func openWorkbook(r io.Reader) (*excelize.File, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxWorkbookZip+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPlanSheet, err)
	}
	if len(b) > maxWorkbookZip {
		return nil, fmt.Errorf("%w: more than %d bytes compressed", ErrWorkbookLimits, maxWorkbookZip)
	}
	if err := checkZip(b); err != nil {
		return nil, err
	}
	workbookSlot <- struct{}{}
	defer func() { <-workbookSlot }()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit:    maxWorkbookBytes,
		UnzipXMLSizeLimit: maxWorkbookXML,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPlanSheet, err)
	}
	return f, nil
}

// checkZip refuses an archive whose directory promises too many entries, too
// many bytes in all, or one large entry compressed beyond any real sheet.
func checkZip(b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrPlanSheet, err)
	}
	if len(zr.File) > maxWorkbookEntries {
		return fmt.Errorf("%w: %d entries", ErrWorkbookLimits, len(zr.File))
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxWorkbookBytes {
			return fmt.Errorf("%w: over %d bytes unzipped", ErrWorkbookLimits, maxWorkbookBytes)
		}
		if f.UncompressedSize64 > ratioFloor && f.UncompressedSize64 > maxWorkbookRatio*max(f.CompressedSize64, 1) {
			return fmt.Errorf("%w: %s compressed %d:1", ErrWorkbookLimits, f.Name, f.UncompressedSize64/max(f.CompressedSize64, 1))
		}
	}
	return nil
}
