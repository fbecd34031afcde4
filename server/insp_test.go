package server

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"integritas/packet"
	"integritas/survey"
)

func TestInspCorrections(t *testing.T) {
	e := newTestEnv(t)
	insp := e.loginAs("inspector")
	e.run([]scenario{
		{name: "add", method: "POST", path: "/inspectorate/SPI-T/corrections", header: insp,
			body: form("unit", "DINKES", "kind", "law_enforcement", "points", "2,5", "reason", "SPDP kasus pengadaan alkes", "evidence", "Surat Kejari 12/2026"), wantStatus: 200,
			want: []string{"Butir koreksi dicatat", "SPDP kasus pengadaan alkes", "Surat Kejari 12/2026", "2,50", "Penegakan hukum"}},
		{name: "points not a number", method: "POST", path: "/inspectorate/SPI-T/corrections", header: insp,
			body: form("unit", "DINKES", "kind", "other", "points", "banyak", "reason", "x"), wantStatus: 400, want: []string{"Poin harus berupa angka", "banyak"}},
		{name: "no reason", method: "POST", path: "/inspectorate/SPI-T/corrections", header: insp,
			body: form("unit", "DINKES", "kind", "other", "points", "1"), wantStatus: 400, want: []string{"Alasan wajib diisi"}},
		{name: "unknown unit", method: "POST", path: "/inspectorate/SPI-T/corrections", header: insp,
			body: form("unit", "NOPE", "kind", "other", "points", "1", "reason", "x"), wantStatus: 400, want: []string{"tidak ada dalam periode"}},
		{name: "unknown kind", method: "POST", path: "/inspectorate/SPI-T/corrections", header: insp,
			body: form("unit", "DINKES", "kind", "bribe", "points", "1", "reason", "x"), wantStatus: 400, want: []string{"Pilih jenis koreksi"}},
		{name: "markup is escaped", method: "POST", path: "/inspectorate/SPI-T/corrections", header: insp,
			body: form("unit", "DISDIK", "kind", "other", "points", "1", "reason", "<script>alert(1)</script>"), wantStatus: 200,
			want: []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, notWant: []string{"<script>alert(1)</script>"}},
	})
	items, _ := e.store.Corrections(context.Background(), e.period.ID)
	if len(items) != 2 {
		t.Fatalf("%d corrections stored, want 2 (refused ones must not be)", len(items))
	}
	id := items[0].ID
	path := "/inspectorate/SPI-T/corrections/" + strconv.FormatInt(id, 10) + "/delete"
	e.run([]scenario{
		{name: "delete without a reason", method: "POST", path: path, header: insp, body: form("why", " "), wantStatus: 400, want: []string{"alasan penghapusan"}},
		{name: "delete", method: "POST", path: path, header: insp, body: form("why", "Kasus dihentikan (SP3)"), wantStatus: 200, want: []string{"Butir koreksi dihapus"}},
		{name: "delete again", method: "POST", path: path, header: insp, body: form("why", "lagi"), wantStatus: 404},
	})
	log, _ := e.store.AuditLog(context.Background(), "correction.", 0)
	var actions []string
	for _, a := range log {
		actions = append(actions, a.Action+" "+a.Detail)
	}
	all := strings.Join(actions, "\n")
	for _, w := range []string{"correction.add 2.50 points (law_enforcement)", "correction.delete", "SP3"} {
		if !strings.Contains(all, w) {
			t.Errorf("audit log lacks %q:\n%s", w, all)
		}
	}
}

func TestInspRosterAndSampling(t *testing.T) {
	e := newTestEnv(t)
	insp := e.loginAs("inspector")
	var csv strings.Builder
	csv.WriteString("unit,type,name,email,years_institution,years_unit,role\n")
	for i := 0; i < 60; i++ {
		csv.WriteString("DISDIK,internal,Guru " + strconv.Itoa(i) + ",guru" + strconv.Itoa(i) + "@example.go.id,5,3,guru\n")
	}
	csv.WriteString("DISDIK,internal,Pegawai Baru,baru@example.go.id,0.5,0.5,guru\n")
	body, h := upload(t, nil, map[string]string{"file:roster.csv": csv.String()}, insp)
	code, page, _ := e.do("POST", "/inspectorate/SPI-T/roster", body, h)
	if code != 200 || !strings.Contains(page, "Daftar pegawai diimpor") || !strings.Contains(page, "Pegawai Baru") {
		t.Fatalf("roster import: %d %.500s", code, page)
	}
	// The note on the row outside the frame is in the reader's language,
	// in the import's notes and in the table of rows kept out.
	const note = "dikeluarkan dari kerangka sampel internal: kurang dari 2 tahun di instansi, kurang dari 1 tahun di unit"
	if strings.Count(page, note) != 2 || strings.Contains(page, "excluded from") || !strings.Contains(page, "roster.csv:62: Pegawai Baru (DISDIK) "+note) {
		t.Errorf("roster notes not in Indonesian: %.3000s", page)
	}
	if code, en, _ := e.do("GET", "/inspectorate/SPI-T/roster?lang=en", "", insp); code != 200 || !strings.Contains(en, "excluded from the internal frame: under 2 years in the institution, under 1 year in the unit") {
		t.Errorf("roster page in English: %d", code)
	}
	e.run([]scenario{
		{name: "bad margin", method: "POST", path: "/inspectorate/SPI-T/sampling", header: insp, body: form("margin", "25", "type", "internal"), wantStatus: 400, want: []string{"paling besar 10"}},
		{name: "bad seed", method: "POST", path: "/inspectorate/SPI-T/sampling", header: insp, body: form("margin", "5", "seed", "-3", "type", "internal"), wantStatus: 400, want: []string{"Benih harus"}},
		{name: "no type", method: "POST", path: "/inspectorate/SPI-T/sampling", header: insp, body: form("margin", "5"), wantStatus: 400, want: []string{"Pilih jenis responden"}},
		{name: "draw", method: "POST", path: "/inspectorate/SPI-T/sampling", header: insp, body: form("margin", "5", "seed", "2026", "type", "internal", "unit", "DISDIK"),
			wantStatus: 200, want: []string{"Sampel ditarik", "<code>2026</code>"}},
	})
	ctx := context.Background()
	smp, _ := e.store.Samples(ctx, e.period.ID, true)
	if len(smp) != 1 || smp[0].Population != 60 || smp[0].Size != 53 {
		t.Fatalf("samples = %+v (60 eligible need 53 for ±5 points)", smp)
	}
	for _, m := range smp[0].Members {
		if m.Name == "Pegawai Baru" {
			t.Error("a row outside the frame was drawn")
		}
		if m.InvitationID != 0 {
			t.Error("a draw without \"invite\" created invitations")
		}
	}
	// Draw again, inviting the people drawn: their e-mails are queued.
	e.run([]scenario{
		{name: "draw and invite", method: "POST", path: "/inspectorate/SPI-T/sampling", header: insp,
			body: form("margin", "10", "seed", "5", "type", "internal", "unit", "DISDIK", "invite", "1", "lang", "en"), wantStatus: 200,
			want: []string{"Undangan dimasukkan ke antrean", "guru", "Dalam antrean"}},
	})
	queued, _ := e.store.Deliveries(ctx, e.period.ID, survey.DeliveryInvitation, 0)
	smp, _ = e.store.Samples(ctx, e.period.ID, true)
	if len(queued) != smp[0].Size || !strings.Contains(queued[0].Text, "http://integritas.test/s/") || !strings.Contains(queued[0].Subject, "Invitation") {
		t.Fatalf("%d invitations queued for %d drawn: %+v", len(queued), smp[0].Size, queued[0])
	}
	e.run([]scenario{
		{name: "remind", method: "POST", path: "/inspectorate/SPI-T/invitations/remind", header: insp, body: form("lang", "id", "unit", "DISDIK"), wantStatus: 200,
			want: []string{"Pengingat dimasukkan"}},
		{name: "remind a unit without invitations", method: "POST", path: "/inspectorate/SPI-T/invitations/remind", header: insp, body: form("lang", "id", "unit", "DINKES"), wantStatus: 409},
		{name: "resend an invitation", method: "POST", path: "/inspectorate/SPI-T/deliveries/" + strconv.FormatInt(queued[0].ID, 10) + "/resend", header: insp, body: form("x", "y"), wantStatus: 200,
			want: []string{"dikirim ulang dengan tautan baru"}},
		{name: "invitation counts", path: "/inspectorate/SPI-T/invitations", header: insp, wantStatus: 200, want: []string{"DISDIK", ">" + strconv.Itoa(smp[0].Size) + "<"}},
	})
	reminders, _ := e.store.Deliveries(ctx, e.period.ID, survey.DeliveryReminder, 0)
	if len(reminders) != smp[0].Size {
		t.Errorf("%d reminders for %d unused invitations", len(reminders), smp[0].Size)
	}
}

// waitJob waits for the period's latest packet build job to stop running
// and returns it.
func (e *testEnv) waitJob(code string) survey.PacketJob {
	e.t.Helper()
	ctx := context.Background()
	p, err := e.store.Period(ctx, code)
	if err != nil {
		e.t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		jobs, err := e.store.LatestPacketJobs(ctx, p.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		var last survey.PacketJob
		for _, j := range jobs {
			if j.ID > last.ID {
				last = j
			}
		}
		if last.ID != 0 && last.Status != survey.JobRunning {
			return last
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.t.Fatal("packet build did not finish")
	return survey.PacketJob{}
}

func TestInspPackets(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	insp := e.loginAs("inspector")
	e.run([]scenario{
		{name: "send before any build", method: "POST", path: "/inspectorate/SPI-T/packets/send", header: insp, body: form("lang", "id", "mode", "attach"), wantStatus: 409, want: []string{"Belum ada paket"}},
		{name: "bad language", method: "POST", path: "/inspectorate/SPI-T/packets/build", header: insp, body: form("lang", "fr"), wantStatus: 400},
		{name: "build", method: "POST", path: "/inspectorate/SPI-T/packets/build", header: insp, body: form("lang", "id"), wantStatus: 200, want: []string{"Penyusunan paket dimulai"}},
	})
	if j := e.waitJob("SPI-T"); j.Status != survey.JobDone || j.Built != 3 || j.Expected != 3 {
		t.Fatalf("job = %+v", j)
	}
	e.run([]scenario{
		{name: "built packets listed", path: "/inspectorate/SPI-T/packets", header: insp, wantStatus: 200, want: []string{"Paket tersusun: 3 dari 3", "/packets/SPI-T/DISDIK?lang=id"}},
		{name: "send DISDIK as a link", method: "POST", path: "/inspectorate/SPI-T/packets/send", header: insp, body: form("lang", "id", "mode", "link", "unit", "DISDIK"), wantStatus: 200,
			want: []string{"Paket dimasukkan ke antrean", "kadisdik@example.go.id", "Dalam antrean"}},
	})
	log, _ := e.store.Deliveries(ctx, e.period.ID, survey.DeliveryPacket, 0)
	if len(log) != 1 || log[0].Recipient != "kadisdik@example.go.id" || log[0].Attach {
		t.Fatalf("deliveries = %+v", log)
	}
	token := regexp.MustCompile(`/packet/([A-Za-z0-9_-]{43})`).FindStringSubmatch(log[0].Text)
	if token == nil || !strings.Contains(log[0].Text, "http://integritas.test/packet/") {
		t.Fatalf("no link in the queued message: %q", log[0].Text)
	}
	viewer, other := e.loginAs("viewer", "DISDIK"), e.loginAs("viewer", "DINKES")
	e.run([]scenario{
		{name: "download by link", path: "/packet/" + token[1], wantStatus: 200, want: []string{"PK\x03\x04"}},
		{name: "a changed link", path: "/packet/" + strings.Repeat("A", 43), wantStatus: 404},
		{name: "viewer downloads own packet", path: "/packets/SPI-T/DISDIK", header: viewer, wantStatus: 200, want: []string{"PK\x03\x04"}},
		{name: "viewer of another unit", path: "/packets/SPI-T/DISDIK", header: other, wantStatus: 404, notWant: []string{"PK\x03\x04"}},
		{name: "preview", path: "/inspectorate/SPI-T/packets/DISDIK/preview", header: insp, wantStatus: 200, want: []string{"%PDF-"}},
		{name: "resend", method: "POST", path: "/inspectorate/SPI-T/deliveries/" + strconv.FormatInt(log[0].ID, 10) + "/resend", header: insp, body: form("x", "y"), wantStatus: 200, want: []string{"Pengiriman diulang"}},
	})
	if _, _, h := e.do("GET", "/inspectorate/SPI-T/packets/DISDIK/preview", "", insp); strings.Contains(h.Get("Content-Security-Policy"), "object-src") ||
		h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(h.Get("Content-Disposition"), "inline") {
		t.Errorf("preview headers would keep Chrome's PDF viewer out: %v", h)
	}
	log, _ = e.store.Deliveries(ctx, e.period.ID, survey.DeliveryPacket, 0)
	if len(log) != 2 || log[0].Text == log[1].Text {
		t.Errorf("resend should queue a second message with a fresh link: %d deliveries", len(log))
	}
	// An expired link stops working.
	later := e.now.Add(linkTTL + time.Hour)
	st2, err := survey.Open(ctx, e.store.Path(), survey.WithKeyFile(e.store.KeyPath()), survey.WithClock(func() time.Time { return later }), survey.WithPoolRelease(1))
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if _, err := st2.PacketByLink(ctx, token[1]); err == nil {
		t.Error("an expired link still works")
	}
	audit, _ := e.store.AuditLog(ctx, "packet.", 0)
	if len(audit) < 4 {
		t.Errorf("packet actions audited: %d", len(audit))
	}
}

func TestInspFollowUp(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	insp := e.loginAs("inspector")
	e.run([]scenario{
		{name: "enter a plan", method: "POST", path: "/inspectorate/SPI-T/followup", header: insp,
			body: form("unit", "DINKES", "element", "pbj", "action", "Umumkan RUP", "owner", "Sekretaris", "due", "2027-01-31", "status", "in_progress"), wantStatus: 200,
			want: []string{"Rencana aksi disimpan"}},
		{name: "bad due date", method: "POST", path: "/inspectorate/SPI-T/followup", header: insp,
			body: form("unit", "DINKES", "element", "pbj", "action", "x", "due", "31/01/2027", "status", "planned"), wantStatus: 400, want: []string{"TTTT-BB-HH"}},
		{name: "unknown element", method: "POST", path: "/inspectorate/SPI-T/followup", header: insp,
			body: form("unit", "DINKES", "element", "nope", "action", "x", "status", "planned"), wantStatus: 400},
	})
	// A returned workbook: the packet's sheet with two rows filled in.
	src, err := e.srv.packetSource(ctx, "SPI-T")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := src.XLSX(&buf, "DISDIK", "id"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheet := src.Bundle.For("id").T("packet.sheet.followup")
	for ref, v := range map[string]string{"A5": "DISDIK", "B5": "sdm", "E5": "Seleksi terbuka jabatan", "F5": "BKPSDM", "G5": "2027-06-30", "H5": "planned",
		"A6": "DISDIK", "B6": "anggaran", "E6": "Audit perjalanan dinas", "H6": "Selesai"} {
		f.SetCellStr(sheet, ref, v)
	}
	var out bytes.Buffer
	f.WriteTo(&out)
	body, h := upload(t, nil, map[string]string{"file:rencana.xlsx": out.String()}, insp)
	code, page, _ := e.do("POST", "/inspectorate/SPI-T/followup/upload", body, h)
	if code != http.StatusOK || !strings.Contains(page, "Rencana aksi dari berkas disimpan") {
		t.Fatalf("upload: %d %.400s", code, page)
	}
	plans, _ := e.store.ActionPlans(ctx, e.period.ID, "")
	if len(plans) != 3 {
		t.Fatalf("plans = %+v", plans)
	}
	for _, p := range plans {
		if p.UnitCode == "DISDIK" && p.Element == "anggaran" && p.Status != "done" {
			t.Errorf("status label not read: %+v", p)
		}
	}
	_ = packet.HeaderRow
}
