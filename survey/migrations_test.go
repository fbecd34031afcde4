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
	if _, err := migrationFiles(migrations, "migrations"); err != nil {
		t.Fatalf("embedded migrations: %v", err)
	}
	dup := fstest.MapFS{
		"migrations/0001_init.sql":  {Data: []byte("SELECT 1;")},
		"migrations/0002_a.sql":     {Data: []byte("SELECT 1;")},
		"migrations/0002_b.sql":     {Data: []byte("SELECT 1;")},
		"migrations/0010_later.sql": {Data: []byte("SELECT 1;")},
	}
	if _, err := migrationFiles(dup, "migrations"); err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
		t.Errorf("duplicate numbers: err = %v", err)
	}
	delete(dup, "migrations/0002_b.sql")
	files, err := migrationFiles(dup, "migrations")
	if err != nil || len(files) != 3 || files[2].num != 10 {
		t.Errorf("files = %+v, %v", files, err)
	}
}

// TestMigrationsForBothEngines: PostgreSQL databases start at the
// consolidated schema of version 17; every SQLite migration after it needs
// its PostgreSQL twin under the same number, or a PostgreSQL store would
// silently lag one schema behind.
func TestMigrationsForBothEngines(t *testing.T) {
	lite, err := migrationFiles(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrationFiles(migrations, "migrations/postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) == 0 || pg[0].num != 17 {
		t.Fatalf("PostgreSQL migrations %+v, want the schema of version 17 first", pg)
	}
	have := map[int]bool{}
	for _, m := range pg {
		have[m.num] = true
	}
	for _, m := range lite {
		if m.num > 17 && !have[m.num] {
			t.Errorf("%s has no PostgreSQL twin in migrations/postgres", m.path)
		}
	}
	if last := lite[len(lite)-1].num; pg[len(pg)-1].num != last {
		t.Errorf("PostgreSQL schema ends at %d, SQLite at %d", pg[len(pg)-1].num, last)
	}
}

// TestCopyTablesCoverSchema: a table the copy does not know would be left
// behind by migrate-store without a word.
func TestCopyTablesCoverSchema(t *testing.T) {
	st := newSQLiteStore(t)
	rows, err := st.r.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	known := map[string]bool{"period_counts": true, "key_check": true, "server_nodes": true}
	for _, name := range copyTables {
		known[name] = true
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		if !known[name] {
			t.Errorf("table %s is not in copyTables (nor left out on purpose)", name)
		}
		delete(known, name)
	}
	for name := range known {
		t.Errorf("copyTables names %s, which the schema does not have", name)
	}
}
