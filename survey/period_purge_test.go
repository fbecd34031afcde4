package survey

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"integritas/internal/pgtest"
	"integritas/internal/testdeps"
)

// TestClosePurgesDeadRowsPostgres reads a PostgreSQL store's data files
// after a period's close, as an insider with the disk (or a file-level
// backup of it) would: PostgreSQL keeps deleted and updated row versions
// in them until a vacuum, so the pool rows the close released (sealed
// answers that xmin joins to the invitation used in the same transaction,
// readable with the key file) and the device hashes the close dropped
// (open_device_days, and responses' old versions) would stay there.
func TestClosePurgesDeadRowsPostgres(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Database(t)
	st, err := Open(ctx, db, WithKeyFile(filepath.Join(t.TempDir(), "k")), WithClock(func() time.Time { return testClock }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var base string
	if err := st.w.QueryRowContext(ctx, `SELECT current_setting('data_directory') || '/base/' ||
		(SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&base); err != nil {
		t.Fatal(err)
	}
	if _, err := os.ReadDir(base); err != nil {
		testdeps.Missing(t, "the cluster's data files ("+err.Error()+")", "run the test on the machine of a local cluster (scripts/pg-cluster.sh), as a user who can read its data directory")
	}
	p := newPeriod(t, st, "P")
	if err := st.SetPeriodStatus(ctx, "P", StatusOpen); err != nil {
		t.Fatal(err)
	}
	us, err := st.Units(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, probs := p.Instrument.ParseAnswers(External, map[string]string{"T01": "3", "SOS01": "3", "SOS02": "4"})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	c, err := st.NewCommitter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var secrets [][]byte // device hashes, then the start of each sealed pool row
	for range 4 {        // fewer than 2k: they wait in the pool until the close
		dev, nonce := make([]byte, 32), make([]byte, 16)
		rand.Read(dev)
		rand.Read(nonce)
		secrets = append(secrets, dev)
		err := c.Submit(ctx, &Submission{Response: NewResponse{PeriodID: p.ID, UnitID: us[0].ID, Type: External, Channel: ChannelOpen,
			Duration: 60, Lang: "id", Answers: a, DeviceHash: dev}, Open: &OpenCheck{Nonce: nonce, Expires: testClock.Add(time.Hour), DeviceCap: 3}})
		if err != nil {
			t.Fatal(err)
		}
	}
	rows, err := st.w.QueryContext(ctx, `SELECT substring(sealed from 1 for 48) FROM response_pool`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var box []byte
		if err := rows.Scan(&box); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, box)
	}
	rows.Close()
	if len(secrets) != 8 {
		t.Fatalf("%d device hashes and pool rows; want 4 and 4", len(secrets))
	}
	files := func() []byte {
		if _, err := st.w.ExecContext(ctx, `CHECKPOINT`); err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(base)
		if err != nil {
			t.Fatal(err)
		}
		var all []byte
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join(base, e.Name()))
			all = append(all, b...)
		}
		return all
	}
	found := func(b []byte) (devices, pool int) {
		for i, s := range secrets {
			if bytes.Contains(b, s) && i < 4 {
				devices++
			} else if bytes.Contains(b, s) {
				pool++
			}
		}
		return devices, pool
	}
	if d, p := found(files()); d+p != len(secrets) {
		t.Fatalf("before the close, %d device hashes and %d pool rows of 4 and 4 are in the data files: the search is blind", d, p)
	}
	start := time.Now()
	if err := st.SetPeriodStatus(ctx, "P", StatusClosed); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if n := count(t, st, `SELECT count(*) FROM responses`); n != 4 {
		t.Fatalf("%d responses after the close; want 4", n)
	}
	if d, p := found(files()); d+p != 0 {
		t.Errorf("after the close, %d device hashes and %d released pool rows of 4 and 4 are still in the data files", d, p)
	}
	t.Logf("the close took %v", took)
}
