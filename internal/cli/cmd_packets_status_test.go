package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"integritas/survey"
)

// TestPacketsStatus: the command line shows the server's latest packet
// build: none yet, running with its count, and after the server died
// mid-build (its job marked interrupted at the next start) the counts, the
// units left and where to resume, in Indonesian or English.
func TestPacketsStatus(t *testing.T) {
	db := cliDB(t)
	ctx := context.Background()
	if code, out, _ := runCLI(t, "", "packets", "status", "--db", db, "--period", "P"); code != 0 || !strings.Contains(out, "belum pernah menyusun paket") {
		t.Fatalf("no build yet: %d %q", code, out)
	}
	st, err := openDB(ctx, db, survey.WithClock(func() time.Time { return cliNow }))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := st.Period(ctx, "P")
	job, err := st.StartPacketJob(ctx, p.ID, "id", []string{"A", "B"}, "inspektur@example.go.id")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveJobPacket(ctx, job.ID, "B", []byte("PK\x03\x04"), "inspektur@example.go.id"); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCLI(t, "", "packets", "status", "--db", db, "--period", "P"); code != 0 || !strings.Contains(out, "Menyusun paket: 1 dari 2 selesai") {
		t.Errorf("running: %d %q", code, out)
	}
	st.Close()
	at := cliNow
	if survey.IsPostgres(db) {
		// Other servers may share the database: a build is dead once its
		// runner stored nothing for the lease, whether or not any server
		// swept it since.
		at = cliNow.Add(survey.JobLease + time.Minute)
	} else {
		// What the next `serve` does at start: another process, another store.
		next, err := openDB(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := next.InterruptPacketJobs(ctx); err != nil || n != 1 {
			t.Fatalf("interrupted %d, %v", n, err)
		}
		next.Close()
	}
	code, out, _ := runCLIAt(t, at, "", "packets", "status", "--db", db, "--period", "P")
	t.Logf("packets status:\n%s", out)
	if code != 0 || !strings.Contains(out, "terputus") || !strings.Contains(out, "baru 1 dari 2 paket") || !strings.Contains(out, "Belum tersusun: A") ||
		!strings.Contains(out, "/inspectorate/P/packets") {
		t.Errorf("interrupted: %d %q", code, out)
	}
	if code, out, _ := runCLIAt(t, at, "", "packets", "status", "--db", db, "--period", "P", "--lang", "en"); code != 0 || !strings.Contains(out, "was interrupted") || !strings.Contains(out, "Not built yet: A") {
		t.Errorf("in English: %d %q", code, out)
	}
}
