package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "github.com/mattn/go-sqlite3" // OpenRaw's SQLite handle

	"integritas/internal/pgdb"
	"integritas/internal/testdeps"
)

// ClusterEnv names the variable holding the test cluster's URL; SuiteEnv
// the switch that runs the store suites on it.
const (
	ClusterEnv = "INTEGRITAS_PG_CLUSTER"
	SuiteEnv   = "INTEGRITAS_TEST_PG"
)

// Enabled reports whether the store suites run on PostgreSQL this time.
func Enabled() bool { return os.Getenv(SuiteEnv) == "1" && os.Getenv(ClusterEnv) != "" }

// Database creates an empty database on the test cluster, drops it when
// the test ends, and returns its URL. Without a cluster the test skips
// (fails under INTEGRITAS_REQUIRE_ALL).
func Database(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(ClusterEnv)
	if admin == "" {
		testdeps.Missing(t, "a PostgreSQL cluster ("+ClusterEnv+")", "apt-get install postgresql, then eval \"$(sh scripts/pg-cluster.sh)\" starts one and sets "+ClusterEnv+" (or set it to a postgres:// URL of a role that may create databases)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: connect %s: %v", ClusterEnv, err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 8)
	rand.Read(b)
	name := "itest_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("pgtest: connect to drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", ClusterEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// DB is where a test's store goes: file, a SQLite path, when no cluster is
// configured; else a fresh PostgreSQL database, with keyFile the key file
// beside file that it then needs (empty for SQLite, whose key file
// defaults to the database's path plus ".key").
func DB(t testing.TB, file string) (db, keyFile string) {
	t.Helper()
	if !Enabled() {
		return file, ""
	}
	return Database(t), file + ".key"
}

// OpenRaw opens a test's own handle on a store's database (a SQLite file,
// read-only, or a PostgreSQL URL), to check what the store wrote with SQL
// written for SQLite.
func OpenRaw(t testing.TB, db string) *sql.DB {
	t.Helper()
	var raw *sql.DB
	var err error
	if pgdb.IsURL(db) {
		raw, err = pgdb.Open(db)
	} else {
		raw, err = sql.Open("sqlite3", "file:"+db+"?mode=ro")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// Tables lists the tables of the database raw was opened on (OpenRaw).
func Tables(t testing.TB, raw *sql.DB, db string) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if pgdb.IsURL(db) {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`
	}
	rows, err := raw.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
