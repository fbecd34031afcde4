package survey

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestMigrationNumbersUnique fails the build's tests when two embedded
// migrations share a number: the runner used to apply the first and skip
// the second silently on every database.
func TestMigrationNumbersUnique(t *testing.T) {
	if _, err := migrationFiles(migrations); err != nil {
		t.Fatalf("embedded migrations: %v", err)
	}
	dup := fstest.MapFS{
		"migrations/0001_init.sql":  {Data: []byte("SELECT 1;")},
		"migrations/0002_a.sql":     {Data: []byte("SELECT 1;")},
		"migrations/0002_b.sql":     {Data: []byte("SELECT 1;")},
		"migrations/0010_later.sql": {Data: []byte("SELECT 1;")},
	}
	if _, err := migrationFiles(dup); err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
		t.Errorf("duplicate numbers: err = %v", err)
	}
	delete(dup, "migrations/0002_b.sql")
	files, err := migrationFiles(dup)
	if err != nil || len(files) != 3 || files[2].num != 10 {
		t.Errorf("files = %+v, %v", files, err)
	}
}
