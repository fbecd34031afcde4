package cli

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"integritas/internal/pgtest"
	"integritas/survey"
)

// testKeys maps each PostgreSQL database a test made (testDB, postgresDB)
// to its key file, so runCLI and openDB can find it: unlike SQLite, whose
// key file defaults to the database's path plus ".key", a postgres:// store
// needs one named.
var testKeys sync.Map

// testDB is where a test's store goes: a SQLite file name in t.TempDir()
// normally, a fresh PostgreSQL database when INTEGRITAS_TEST_PG=1
// (scripts/pg-tests.sh), so the command-line suite runs on both stores.
func testDB(t *testing.T, name string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	db, key := pgtest.DB(t, file)
	if key != "" {
		testKeys.Store(db, key)
	}
	return db
}

// postgresDB is a fresh PostgreSQL database whatever the switch, for tests
// of what only PostgreSQL does; it skips without a cluster.
func postgresDB(t *testing.T) string {
	t.Helper()
	db := pgtest.Database(t)
	testKeys.Store(db, filepath.Join(t.TempDir(), "pg.key"))
	return db
}

// keyFor is the key file of a database testDB or postgresDB made, or ""
// (the store's default) for a SQLite file.
func keyFor(db string) string {
	if k, ok := testKeys.Load(db); ok {
		return k.(string)
	}
	return ""
}

// sqliteOnly is a SQLite file name in t.TempDir() for a test about the
// SQLite file itself (its backup, its WAL, a crash of its writer); under
// INTEGRITAS_TEST_PG=1 the test skips saying why, so the PostgreSQL pass
// shows what it leaves out.
func sqliteOnly(t *testing.T, name, why string) string {
	t.Helper()
	if pgtest.Enabled() {
		t.Skip("SQLite only: " + why)
	}
	return filepath.Join(t.TempDir(), name)
}

// openDB opens a test's own store on db with the key file testDB gave it.
func openDB(ctx context.Context, db string, opts ...survey.StoreOption) (*survey.Store, error) {
	if k := keyFor(db); k != "" {
		opts = append([]survey.StoreOption{survey.WithKeyFile(k)}, opts...)
	}
	return survey.Open(ctx, db, opts...)
}

// envFor is a command's environment in a test on db: empty but for the
// key file of a postgres:// test store (INTEGRITAS_KEY_FILE).
func envFor(db string) func(string) string {
	return func(k string) string {
		if k == "INTEGRITAS_KEY_FILE" {
			return keyFor(db)
		}
		return ""
	}
}

// argDB is the value of --db in a command line, or "".
func argDB(args []string) string {
	for i, a := range args {
		if a == "--db" && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, "--db="); ok {
			return v
		}
	}
	return ""
}
