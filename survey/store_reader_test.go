package survey

import (
	"context"
	"path/filepath"
	"testing"
)

// TestReadersMapTheFile checks that the read pool's connections map the
// database file, so a commit does not cost them every page read again,
// and stay read-only.
func TestReadersMapTheFile(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int64
	if err := st.r.QueryRowContext(ctx, "PRAGMA mmap_size").Scan(&n); err != nil || n != readerMmap {
		t.Errorf("reader mmap_size %d, %v; want %d", n, err, readerMmap)
	}
	if _, err := st.r.ExecContext(ctx, "CREATE TABLE x (a)"); err == nil {
		t.Error("a reader wrote")
	}
}
