package packet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Progress is told each time a packet is written.
type Progress func(unit string, done, total int)

// BuildAll writes one <dir>/<unit code>.zip per unit (all units when units
// is empty) in parallel, bounded by the cores. A file appears whole or not
// at all: each is written to a temporary name and renamed.
func (s *Source) BuildAll(ctx context.Context, dir, lang string, units []string, progress Progress) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("packet: %w", err)
	}
	return s.BuildEach(ctx, lang, units, func(code string, zip []byte) error {
		return writeFileAtomic(filepath.Join(dir, SafeName(code)+".zip"), zip)
	}, progress)
}

// BuildEach builds the packets of units (all when empty) in parallel,
// bounded by the cores, and hands each ZIP to use, one call at a time;
// the ZIP's bytes are reused once use returns.
func (s *Source) BuildEach(ctx context.Context, lang string, units []string, use func(unit string, zip []byte) error, progress Progress) error {
	if len(units) == 0 {
		units = s.Units()
	}
	for _, u := range units {
		if !s.HasUnit(u) {
			_, _, err := s.unit(u)
			return err
		}
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, runtime.GOMAXPROCS(0)))
	var mu sync.Mutex
	n := 0
	for _, code := range units {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			// Pooled: a fresh buffer per packet was 240 MB of
			// BenchmarkPackets300's allocation.
			buf := getBuffer()
			defer putBuffer(buf)
			if err := s.Build(buf, code, lang); err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			if err := use(code, buf.Bytes()); err != nil {
				return err
			}
			n++
			if progress != nil {
				progress(code, n, len(units))
			}
			return nil
		})
	}
	return g.Wait()
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".packet-*")
	if err != nil {
		return fmt.Errorf("packet: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("packet: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("packet: write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return fmt.Errorf("packet: %w", err)
	}
	return os.Rename(tmp.Name(), path)
}
