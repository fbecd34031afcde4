package server

import (
	"context"
	"regexp"
	"testing"

	"integritas/survey"
)

// TestPacketsPageSizesAndProgress: built packets show their size as a
// person reads it, and while a build runs the page shows its progress and
// refreshes itself (a script polls; without JavaScript, <noscript> refresh).
func TestPacketsPageSizesAndProgress(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	insp := e.loginAs("inspector")
	e.run([]scenario{{name: "build", method: "POST", path: "/inspectorate/SPI-T/packets/build", header: insp, body: form("lang", "id"), wantStatus: 200}})
	if j := e.waitJob("SPI-T"); j.Status != "done" || j.Built != 3 {
		t.Fatalf("job = %+v", j)
	}
	_, body, _ := e.do("GET", "/inspectorate/SPI-T/packets", "", insp)
	if !regexp.MustCompile(` · [0-9]+,[0-9] (kB|MB)<br>`).MatchString(body) || regexp.MustCompile(`[0-9] B<br>`).MatchString(body) {
		t.Errorf("packet sizes not human-readable:\n%s", body)
	}
	// A job running (as the store sees it): one of three packets stored.
	job, err := e.store.StartPacketJob(ctx, e.period.ID, "en", []string{"DINKES", "DISDIK", "PKM1"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.SaveJobPacket(ctx, job.ID, "DISDIK", []byte("PK\x03\x04"), "test"); err != nil {
		t.Fatal(err)
	}
	e.run([]scenario{{name: "building", path: "/inspectorate/SPI-T/packets", header: insp, wantStatus: 200,
		want: []string{`id="job-status" data-running="true"`, `<progress value="1" max="3">`, `<noscript><meta http-equiv="refresh" content="5"></noscript>`, `/static/packets.js`}}})
	if err := e.store.FinishPacketJob(ctx, job.ID, ""); err != nil {
		t.Fatal(err)
	}
	e.run([]scenario{{name: "stopped", path: "/inspectorate/SPI-T/packets", header: insp, wantStatus: 200, notWant: []string{"http-equiv", "packets.js"},
		want: []string{`data-status="failed"`, "1 dari 3 paket tersusun", "<code>DINKES</code>, <code>PKM1</code>", "Lanjutkan penyusunan (2 paket tersisa)"}}})
}

// TestSendWarnsOfUncoveredUnits: a complete build that does not cover every
// unit of the period (one added since) is sent only after a confirmation
// page that names the units left out; packets already queued are counted
// as skipped there.
func TestSendWarnsOfUncoveredUnits(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	insp := e.loginAs("inspector")
	job, err := e.store.StartPacketJob(ctx, e.period.ID, "id", []string{"DINKES", "DISDIK"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"DINKES", "DISDIK"} {
		if _, err := e.store.SaveJobPacket(ctx, job.ID, u, []byte("PK\x03\x04 "+u), "test"); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.store.FinishPacketJob(ctx, job.ID, ""); err != nil {
		t.Fatal(err)
	}
	e.run([]scenario{
		{name: "one unit first", method: "POST", path: "/inspectorate/SPI-T/packets/send", header: insp, body: form("lang", "id", "mode", "attach", "unit", "DISDIK"), wantStatus: 200},
		{name: "confirmation names the uncovered unit", method: "POST", path: "/inspectorate/SPI-T/packets/send", header: insp, body: form("lang", "id", "mode", "attach"), wantStatus: 200,
			want: []string{"tidak memiliki paket dalam penyusunan terakhir", `<ul id="uncovered"><li>PKM1</li></ul>`, "1 paket sudah dalam antrean atau terkirim", `name="confirm" value="1"`}},
	})
	if ds, _ := e.store.Deliveries(ctx, e.period.ID, survey.DeliveryPacket, 0); len(ds) != 1 {
		t.Fatalf("%d deliveries before confirmation, want 1", len(ds))
	}
	e.run([]scenario{{name: "confirmed", method: "POST", path: "/inspectorate/SPI-T/packets/send", header: insp, body: form("lang", "id", "mode", "attach", "confirm", "1"), wantStatus: 200}})
	ds, _ := e.store.Deliveries(ctx, e.period.ID, survey.DeliveryPacket, 0)
	if len(ds) != 2 || ds[0].UnitCode != "DINKES" {
		t.Errorf("after confirming: %d deliveries (%+v), want DISDIK once and DINKES", len(ds), ds)
	}
}
