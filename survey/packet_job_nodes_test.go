package survey

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"integritas/internal/pgtest"
)

// TestPacketJobOneRunner: two servers on one PostgreSQL database. The
// second one's start leaves the first one's running build alone; a build
// whose runner stored nothing for JobLease is interrupted, and once another
// server resumed it, the first can store nothing more for it: a build is
// never run by two servers at once.
func TestPacketJobOneRunner(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	key := filepath.Join(t.TempDir(), "k.key")
	now := testClock
	clock := func() time.Time { return now }
	open := func() *Store {
		st, err := Open(ctx, url, WithKeyFile(key), WithClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a := open()
	p := newPeriod(t, a, "P")
	job, err := a.StartPacketJob(ctx, p.ID, "id", []string{"DINKES", "DISDIK"}, "insp")
	if err != nil {
		t.Fatal(err)
	}
	b := open()
	if n, err := b.InterruptPacketJobs(ctx); err != nil || n != 0 {
		t.Fatalf("a second server's start interrupted %d builds (%v); the first one's is alive", n, err)
	}
	if _, err := b.StartPacketJob(ctx, p.ID, "id", []string{"DINKES"}, "insp"); !errors.Is(err, ErrJobRunning) {
		t.Fatalf("a second build while the first runs: %v", err)
	}
	if _, err := a.SaveJobPacket(ctx, job.ID, "DINKES", []byte("zip 1"), "insp"); err != nil {
		t.Fatal(err)
	}
	// The first server goes quiet for longer than the lease.
	now = now.Add(JobLease + time.Second)
	resumed, missing, err := b.ResumePacketJob(ctx, p.ID, job.ID)
	if err != nil || resumed.Status != JobRunning || len(missing) != 1 || missing[0] != "DISDIK" {
		t.Fatalf("resume of the stale build: %+v %v %v", resumed, missing, err)
	}
	if _, err := a.SaveJobPacket(ctx, job.ID, "DISDIK", []byte("zip a"), "insp"); !errors.Is(err, ErrJobLost) {
		t.Fatalf("the first server stored into a build taken over: %v", err)
	}
	if err := a.FinishPacketJob(ctx, job.ID, "stopped"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SaveJobPacket(ctx, job.ID, "DISDIK", []byte("zip b"), "insp"); err != nil {
		t.Fatal(err)
	}
	if err := b.FinishPacketJob(ctx, job.ID, ""); err != nil {
		t.Fatal(err)
	}
	j, _ := b.PacketJob(ctx, job.ID)
	builds, _ := b.PacketJobBuilds(ctx, job.ID)
	if j.Status != JobDone || j.Built != 2 || len(builds) != 2 {
		t.Errorf("the build ends %s with %d of %d built and %d packets stored", j.Status, j.Built, j.Expected, len(builds))
	}
}
