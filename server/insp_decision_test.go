package server

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"integritas/survey"
)

// TestInspectorateDecisions: the Inspectorate records decisions per unit
// with a reason; bad forms are refused naming the field; each decision is
// audited, listed on the data-quality page, shown on the unit it touches,
// ends the unit's review, and can be revoked; a closed period is frozen.
func TestInspectorateDecisions(t *testing.T) {
	e, an := dashEnv(t)
	ctx := context.Background()
	cluster := coachDINKES(t, e)
	insp := e.loginAs("inspector")
	post := "/inspectorate/SPI-T/decisions"
	e.run(as(insp, []scenario{
		{name: "no reason", method: "POST", path: post, body: form("unit", "DINKES", "action", "keep", "cluster", cluster), wantStatus: 400, want: []string{"Alasan diperlukan"}},
		{name: "unknown action", method: "POST", path: post, body: form("unit", "DINKES", "action", "drop", "reason", "x"), wantStatus: 400, want: []string{"Keputusan tidak dikenal"}},
		{name: "unknown flag", method: "POST", path: post, body: form("unit", "DINKES", "action", "exclude_flag", "flag", "lazy", "reason", "x"), wantStatus: 400, want: []string{"Tanda tidak dikenal"}},
		{name: "keep without a cluster", method: "POST", path: post, body: form("unit", "DINKES", "action", "keep", "reason", "x"), wantStatus: 400, want: []string{"Kelompok jawaban tidak dikenal"}},
		{name: "a cluster of another unit", method: "POST", path: post, body: form("unit", "DISDIK", "action", "exclude_cluster", "cluster", cluster, "reason", "x"), wantStatus: 400},
		{name: "a cluster that is not flagged", method: "POST", path: post, body: form("unit", "DINKES", "action", "exclude_cluster", "cluster", "DINKES/internal/1", "reason", "x"), wantStatus: 400,
			want: []string{"Kelompok jawaban tidak dikenal"}},
		{name: "zero points", method: "POST", path: post, body: form("unit", "DINKES", "action", "correction", "cluster", cluster, "points", "0", "reason", "x"), wantStatus: 400, want: []string{"Poin koreksi tidak sah"}},
		{name: "NaN points", method: "POST", path: post, body: form("unit", "DINKES", "action", "correction", "cluster", cluster, "points", "NaN", "reason", "x"), wantStatus: 400},
		{name: "unknown unit", method: "POST", path: post, body: form("unit", "NOPE", "action", "withhold", "reason", "x"), wantStatus: 404},
		{name: "bad type", method: "POST", path: post, body: form("unit", "DINKES", "type", "robot", "action", "exclude_flag", "flag", "speeder", "reason", "x"), wantStatus: 400},
		{name: "cross-site post refused", method: "POST", path: post, body: form("unit", "DINKES", "action", "withhold", "reason", "x"),
			header: map[string]string{"Sec-Fetch-Site": "cross-site"}, wantStatus: 403},
		{name: "the overview lists the unit under review", path: "/dash/SPI-T", wantStatus: 200, want: []string{`id="reviews"`, "Dinas Kesehatan", "Dalam peninjauan: ada kelompok jawaban"}},
		{name: "so does the API", path: "/api/v1/periods/SPI-T/units/DINKES", wantStatus: 200, want: []string{`"under_review":true`, `"pending":["` + cluster + `"]`}},
		{name: "and the results export", path: "/export/SPI-T/results.csv", wantStatus: 200, want: []string{",under_review,"}},
		{name: "the inspector sees the forms", path: "/dash/SPI-T/quality", wantStatus: 200,
			want: []string{`id="review-DINKES"`, cluster, `value="withhold"`, `id="exclude-flag"`, "Dalam peninjauan"}},
	}))
	if ds, _ := e.store.Decisions(ctx, e.period.ID); len(ds) != 0 {
		t.Fatalf("refused forms stored decisions: %+v", ds)
	}
	// Keep the cluster: DINKES leaves review; exclude DISDIK's speeder.
	e.run(as(insp, []scenario{
		{name: "keep", method: "POST", path: post, body: form("unit", "DINKES", "action", "keep", "cluster", cluster, "reason", "Klarifikasi: rapat bersama, bukan pengarahan"), wantStatus: 200,
			want: []string{"Pertahankan jawaban kelompok " + cluster, "Klarifikasi: rapat bersama", e.accountFor("inspector").Email, "diputuskan: jawaban dipertahankan"}},
		{name: "exclude a speeder", method: "POST", path: post, body: form("unit", "DISDIK", "type", "internal", "action", "exclude_flag", "flag", "speeder", "reason", "Isian 40 detik"), wantStatus: 200,
			want: []string{"Kecualikan respons bertanda &#34;Terlalu cepat&#34;", "Dikecualikan oleh keputusan #"}},
	}))
	e.run(as(an, []scenario{
		{name: "the API says DINKES is decided", path: "/api/v1/periods/SPI-T/units/DINKES", wantStatus: 200, want: []string{`"under_review":false`, `"decision":"reviewed"`}},
		{name: "the unit page shows the exclusion", path: "/dash/SPI-T/units/DISDIK", wantStatus: 200,
			want: []string{"Keputusan pengecualian yang berlaku", "Isian 40 detik", "1 respons"}},
		// One speeder fewer than the view before: subtracting would give that
		// person's score, so DISDIK's internal component is hidden now.
		{name: "the differenced cell is hidden", path: "/api/v1/periods/SPI-T/units/DISDIK", wantStatus: 200, want: []string{`"suppression":"differencing"`}},
		{name: "the export says so too", path: "/export/SPI-T/results.csv", wantStatus: 200, want: []string{"flag speeder internal: 1 responses (inspector@example.go.id", "Isian 40 detik"}},
	}))
	log, _ := e.store.AuditLog(ctx, "quality.decision", 0)
	if len(log) != 2 || log[0].Actor != e.accountFor("inspector").Email || !strings.Contains(log[0].Detail, "Isian 40 detik") {
		t.Errorf("audit %+v", log)
	}
	ds, _ := e.store.Decisions(ctx, e.period.ID)
	e.run(as(insp, []scenario{
		{name: "revoke without a reason", method: "POST", path: "/inspectorate/SPI-T/decisions/" + strconv.FormatInt(ds[1].ID, 10) + "/revoke", body: form("reason", " "), wantStatus: 400},
		{name: "revoke", method: "POST", path: "/inspectorate/SPI-T/decisions/" + strconv.FormatInt(ds[1].ID, 10) + "/revoke", body: form("reason", "Salah jenis"), wantStatus: 200,
			want: []string{"Dicabut oleh " + e.accountFor("inspector").Email, "Salah jenis"}},
	}))
	// A closed period's decisions are frozen.
	if err := e.store.SetPeriodStatus(ctx, "SPI-T", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	e.run(as(insp, []scenario{
		{name: "closed period", method: "POST", path: post, body: form("unit", "DINKES", "action", "withhold", "reason", "x"), wantStatus: 409},
		{name: "closed period page", path: "/dash/SPI-T/quality", wantStatus: 200, want: []string{"Periode sudah ditutup"}, notWant: []string{`value="withhold"`}},
	}))
}
