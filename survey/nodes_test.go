package survey

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"integritas/internal/pgtest"
)

// twoNodes opens two stores on one new PostgreSQL database with one key
// file, as two servers behind a load balancer, on the clock *now.
func twoNodes(t *testing.T, now *time.Time) (a, b *Store) {
	t.Helper()
	ctx := context.Background()
	url := pgtest.Database(t)
	key := filepath.Join(t.TempDir(), "k.key")
	open := func() *Store {
		st, err := Open(ctx, url, WithKeyFile(key), WithClock(func() time.Time { return *now }))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	return open(), open()
}

// TestSessionAndLockoutAcrossNodesPostgres: a session made through one server is
// valid on the other, and an address locked out of an account on one is
// locked out on the other too, while the owner's own address is not.
func TestSessionAndLockoutAcrossNodesPostgres(t *testing.T) {
	ctx := context.Background()
	now := testClock
	a, b := twoNodes(t, &now)
	u, err := a.CreateUser(ctx, NewUser{Email: "kepala@example.go.id", Role: RoleAdmin, Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := a.CreateSession(ctx, u.ID, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b.SessionUser(ctx, tok, now.Add(time.Minute), time.Hour); err != nil || got.ID != u.ID {
		t.Fatalf("a session made on one node, on the other: %+v %v", got, err)
	}
	const owner, attacker = "10.1.2.3", "203.0.113.9"
	if _, _, err := b.AuthenticateFrom(ctx, u.Email, goodPassword, owner, now); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		a.AuthenticateFrom(ctx, u.Email, "guess", attacker, now.Add(time.Duration(i)*time.Second))
	}
	if _, res, _ := b.AuthenticateFrom(ctx, u.Email, goodPassword, attacker, now.Add(time.Minute)); res != LoginLocked {
		t.Errorf("the address locked out on one node, on the other: %q", res)
	}
	if _, res, err := b.AuthenticateFrom(ctx, u.Email, goodPassword, owner, now.Add(time.Minute)); res != LoginOK {
		t.Errorf("the owner on the other node: %q %v", res, err)
	}
}

// TestPacketJobOneRunnerPostgres: two servers on one PostgreSQL database. The
// second one's start leaves the first one's running build alone; a build
// whose runner stored nothing for JobLease is interrupted, and once another
// server resumed it, the first can store nothing more for it: a build is
// never run by two servers at once.
func TestPacketJobOneRunnerPostgres(t *testing.T) {
	ctx := context.Background()
	now := testClock
	a, b := twoNodes(t, &now)
	p := newPeriod(t, a, "P")
	job, err := a.StartPacketJob(ctx, p.ID, "id", []string{"DINKES", "DISDIK"}, "insp")
	if err != nil {
		t.Fatal(err)
	}
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

// TestNodeHeartbeatPostgres: servers count one another through the database; one
// that stops cleanly is forgotten at once, one that dies after three beats.
func TestNodeHeartbeatPostgres(t *testing.T) {
	ctx := context.Background()
	now := testClock
	a, b := twoNodes(t, &now)
	if n, err := a.NodeHeartbeat(ctx); err != nil || n != 1 {
		t.Fatalf("alone: %d %v", n, err)
	}
	if n, err := b.NodeHeartbeat(ctx); err != nil || n != 2 {
		t.Fatalf("two: %d %v", n, err)
	}
	if err := b.NodeGone(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.NodeHeartbeat(ctx); n != 1 {
		t.Errorf("after a clean stop: %d servers", n)
	}
	b.NodeHeartbeat(ctx)
	now = now.Add(3*NodeBeat + time.Second) // b dies; a beats on
	if n, _ := a.NodeHeartbeat(ctx); n != 1 {
		t.Errorf("three beats after the other died: %d servers", n)
	}
	if n, err := newSQLiteStore(t).NodeHeartbeat(ctx); err != nil || n != 1 {
		t.Errorf("SQLite: %d %v", n, err)
	}
}

// TestPacketJobStatusAfterLeasePostgres: a build whose runner stored
// nothing for JobLease reads as interrupted on every server, before any
// of them took it over (`packets status` runs no sweep), while a build
// within its lease still reads as running.
func TestPacketJobStatusAfterLeasePostgres(t *testing.T) {
	ctx := context.Background()
	now := testClock
	a, b := twoNodes(t, &now)
	p := newPeriod(t, a, "P")
	job, err := a.StartPacketJob(ctx, p.ID, "id", []string{"DINKES", "DISDIK"}, "insp")
	if err != nil {
		t.Fatal(err)
	}
	status := func() []string {
		one, err := b.LatestPacketJob(ctx, p.ID, "id")
		if err != nil {
			t.Fatal(err)
		}
		all, err := b.LatestPacketJobs(ctx, p.ID)
		if err != nil || len(all) != 1 {
			t.Fatalf("latest builds: %+v %v", all, err)
		}
		byID, err := b.PacketJob(ctx, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		return []string{one.Status, all[0].Status, byID.Status}
	}
	now = now.Add(JobLease - time.Second)
	for _, got := range status() {
		if got != JobRunning {
			t.Fatalf("within the lease: %s", got)
		}
	}
	now = now.Add(2 * time.Second)
	for _, got := range status() {
		if got != JobInterrupted {
			t.Errorf("after the lease: %s, want %s", got, JobInterrupted)
		}
	}
}
