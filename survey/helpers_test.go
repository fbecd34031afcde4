package survey

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"integritas/internal/pgtest"
)

// testClock is the fixed time of every store test.
var testClock = time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)

// defaultInstrument reads the shipped instrument from the assets folder (the
// survey package cannot import assets without a cycle in tests' intent).
func defaultInstrument(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "assets", "instruments", "spi-2026.json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// defaultInstrumentBytes is defaultInstrument for fuzz targets' setup.
func defaultInstrumentBytes() []byte {
	b, err := os.ReadFile(filepath.Join("..", "assets", "instruments", "spi-2026.json"))
	if err != nil {
		panic(err)
	}
	return b
}

// newStore opens a fresh store in t.TempDir() through the real migrations.
// With INTEGRITAS_TEST_PG=1, the store is a fresh PostgreSQL database.
func newStore(t testing.TB) *Store {
	return testStore(t, pgtest.Enabled(), WithClock(func() time.Time { return testClock }), WithPoolRelease(1))
}

// newSQLiteStore is newStore on SQLite whatever the environment, for tests
// of what only SQLite has (its migrations' history, its file and WAL).
func newSQLiteStore(t testing.TB) *Store {
	return testStore(t, false, WithClock(func() time.Time { return testClock }), WithPoolRelease(1))
}

// testStore opens a store with opts on a new SQLite file, or on a new
// PostgreSQL database (its key file in t.TempDir()) when pg is set.
func testStore(t testing.TB, pg bool, opts ...StoreOption) *Store {
	t.Helper()
	db := filepath.Join(t.TempDir(), "t.db")
	if pg {
		opts = append(opts, WithKeyFile(db+".key"))
		db = pgtest.Database(t)
	}
	st, err := Open(context.Background(), db, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

const testUnits = "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
	"DINKES,Dinas Kesehatan,,kadinkes@example.go.id,120,5000,10\n" +
	"PKM1,Puskesmas Satu,DINKES,,30,2000,\n" +
	"DISDIK,Dinas Pendidikan,,kadisdik@example.go.id,200,,\n"

// newPeriod creates period code with the default instrument and test units.
func newPeriod(t testing.TB, st *Store, code string) *Period {
	t.Helper()
	ctx := context.Background()
	p, err := st.CreatePeriod(ctx, NewPeriod{Code: code, Instrument: defaultInstrument(t)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(testUnits)); err != nil {
		t.Fatal(err)
	}
	return p
}

// count returns a single integer from a query on the writer.
func count(t testing.TB, st *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.w.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
