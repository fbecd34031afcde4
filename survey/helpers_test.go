package survey

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
func newStore(t testing.TB) *Store {
	t.Helper()
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), WithClock(func() time.Time { return testClock }), WithPoolRelease(1))
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
