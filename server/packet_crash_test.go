package server

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"integritas/config"
	"integritas/survey"
)

// TestMain lets the test binary act as the crash test's child process.
func TestMain(m *testing.M) {
	if db := os.Getenv("INTEGRITAS_PACKET_CHILD"); db != "" {
		packetChild(db, os.Getenv("INTEGRITAS_PACKET_CHILD_KEY"))
		os.Exit(3) // not reached: the child kills itself mid-build
	}
	if db := os.Getenv(benchServerEnv); db != "" {
		benchServerChild(db)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestKilledPacketBuildIsInterrupted kills a real server process with
// SIGKILL in the middle of "build all packets" (right after the first of
// three packets is stored) and restarts the server on the same database.
// The build must show as interrupted with its counts and missing units,
// "send to every unit head" must refuse it whole (no packet queued: the
// fault was that the built ones went and nothing said the others did not),
// the build must resume to completion, and a second send must queue
// nothing again.
func TestKilledPacketBuildIsInterrupted(t *testing.T) {
	old := newTestEnv(t)
	db, key := old.store.Path(), old.store.KeyPath()
	ctx := context.Background()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "INTEGRITAS_PACKET_CHILD="+db, "INTEGRITAS_PACKET_CHILD_KEY="+key)
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed mid-build (err %v):\n%s", err, out)
	}

	e := restartTestEnv(t, db, key) // the server comes back on the same database
	job, err := e.store.LatestPacketJob(ctx, e.period.ID, "id")
	if err != nil {
		t.Fatal(err)
	}
	missing, _ := e.store.PacketJobMissing(ctx, job.ID)
	t.Logf("after the kill: job %d %s, %d of %d built, missing %v", job.ID, job.Status, job.Built, job.Expected, missing)
	if job.Status != survey.JobInterrupted || job.Built != 1 || job.Expected != 3 || len(missing) != 2 {
		t.Fatalf("killed build = %+v, missing %v; want interrupted, 1 of 3", job, missing)
	}
	insp := e.loginAs("inspector")
	e.run([]scenario{
		{name: "page says interrupted", path: "/inspectorate/SPI-T/packets", header: insp, wantStatus: 200,
			want:    []string{`data-status="interrupted"`, "terputus", "baru 1 dari 3 paket tersusun", "<code>" + missing[0] + "</code>", `name="job" value="` + fmt.Sprint(job.ID) + `"`},
			notWant: []string{`data-running="true"`}},
		{name: "in English too", path: "/inspectorate/SPI-T/packets?lang=en", header: insp, wantStatus: 200,
			want: []string{"was interrupted", "only 1 of 3 packets were built", "Resume the build (2 packets left)"}},
		{name: "send to all refused", method: "POST", path: "/inspectorate/SPI-T/packets/send", header: insp, body: form("lang", "id", "mode", "attach"), wantStatus: 409,
			want: []string{"tidak lengkap", "<code>" + missing[1] + "</code>"}},
		{name: "confirmed send to all refused", method: "POST", path: "/inspectorate/SPI-T/packets/send", header: insp, body: form("lang", "id", "mode", "link", "confirm", "1"), wantStatus: 409},
	})
	if ds, _ := e.store.Deliveries(ctx, e.period.ID, survey.DeliveryPacket, 0); len(ds) != 0 {
		t.Fatalf("an interrupted build was half-sent: %d packets queued", len(ds))
	}

	// Resume: only the missing packets are built, then the build is done.
	e.run([]scenario{{name: "resume", method: "POST", path: "/inspectorate/SPI-T/packets/resume", header: insp, body: form("job", fmt.Sprint(job.ID)), wantStatus: 200}})
	if j := e.waitJob("SPI-T"); j.ID != job.ID || j.Status != survey.JobDone || j.Built != 3 || j.ResumedAt.IsZero() {
		t.Fatalf("resumed build = %+v", j)
	}
	if builds, _ := e.store.PacketJobBuilds(ctx, job.ID); len(builds) != 3 {
		t.Errorf("%d packets in the resumed build, want 3 (the one built before the kill is kept)", len(builds))
	}
	e.run([]scenario{
		{name: "resume again", method: "POST", path: "/inspectorate/SPI-T/packets/resume", header: insp, body: form("job", fmt.Sprint(job.ID)), wantStatus: 409},
		{name: "page says done", path: "/inspectorate/SPI-T/packets", header: insp, wantStatus: 200, want: []string{"Paket tersusun: 3 dari 3"}, notWant: []string{"terputus"}},
	})

	// Send to all: every head once, however often and however fast the
	// button is pressed.
	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Go(func() {
			resp, _ := e.send("POST", "/inspectorate/SPI-T/packets/send", form("lang", "id", "mode", "attach", "confirm", "1"), insp)
			codes[i] = resp.StatusCode
		})
	}
	wg.Wait()
	ds, _ := e.store.Deliveries(ctx, e.period.ID, survey.DeliveryPacket, 0)
	t.Logf("4 concurrent sends answered %v and queued %d packets", codes, len(ds))
	if len(ds) != 3 {
		t.Errorf("%d packets queued for 3 unit heads", len(ds))
	}
	e.run([]scenario{{name: "send again", method: "POST", path: "/inspectorate/SPI-T/packets/send", header: insp, body: form("lang", "id", "mode", "attach", "confirm", "1"),
		wantStatus: 200, want: []string{"sudah dalam antrean atau terkirim"}}})
	if ds, _ := e.store.Deliveries(ctx, e.period.ID, survey.DeliveryPacket, 0); len(ds) != 3 {
		t.Errorf("a second send queued again: %d deliveries", len(ds))
	}
}

// restartTestEnv is a new server, as after a restart, on an existing
// test database (the period "SPI-T" and its units).
func restartTestEnv(t *testing.T, db, key string) *testEnv {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 9, 45, 0, 0, time.UTC)
	if survey.IsPostgres(db) {
		// Other servers may share a PostgreSQL database: a build is
		// taken for dead once its runner is silent for the lease.
		now = time.Now().UTC().Add(survey.JobLease + time.Minute)
	}
	clock := func() time.Time { return now }
	st, err := survey.Open(ctx, db, survey.WithKeyFile(key), survey.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := st.Period(ctx, "SPI-T")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{Store: st, Config: testConfig(), Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &testEnv{t: t, store: st, srv: srv, http: hs, period: p, now: now}
}

func testConfig() config.Config {
	cfg := config.Defaults()
	cfg.CookieSecure = false
	cfg.BaseURL = "http://integritas.test"
	return cfg
}

// packetChild runs the server's "build all packets" on db and kills its own
// process with SIGKILL as soon as the first packet is stored.
func packetChild(db, key string) {
	ctx := context.Background()
	st, err := survey.Open(ctx, db, survey.WithKeyFile(key))
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := New(Options{Store: st, Config: testConfig()})
	if err != nil {
		fmt.Println(err)
		return
	}
	s.insp.packetSaved = func(string) { syscall.Kill(os.Getpid(), syscall.SIGKILL) }
	p, err := st.Period(ctx, "SPI-T")
	if err != nil {
		fmt.Println(err)
		return
	}
	units, _ := st.Units(ctx, p.ID)
	var codes []string
	for _, u := range units {
		codes = append(codes, u.Code)
	}
	job, err := st.StartPacketJob(ctx, p.ID, "id", codes, "child@example.go.id")
	if err != nil {
		fmt.Println(err)
		return
	}
	s.buildPackets(ctx, p, job, codes, "child@example.go.id")
	fmt.Println("the build finished; the crash was not staged:", strings.Join(codes, ","))
}
