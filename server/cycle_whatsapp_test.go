package server

import (
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"integritas/survey"
)

var waLinkRe = regexp.MustCompile(`https://wa\.me/[^"\s]+`)

// checkWA parses a wa.me link: its number must be E.164 digits of an
// Indonesian mobile, and its text must hold a personal link of the site.
func checkWA(t *testing.T, raw, wantDigits string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil || u.Host != "wa.me" {
		t.Fatalf("not a wa.me link: %q (%v)", raw, err)
	}
	num := strings.TrimPrefix(u.Path, "/")
	if num != wantDigits || !regexp.MustCompile(`^[1-9][0-9]{7,14}$`).MatchString(num) {
		t.Fatalf("number %q, want E.164 digits %q", num, wantDigits)
	}
	text := u.Query().Get("text")
	if strings.Contains(raw, "+") {
		t.Errorf("spaces must be %%20 for wa.me, link has '+': %q", raw)
	}
	link := regexp.MustCompile(`http://integritas\.test/s/[A-Za-z0-9_-]{43}`).FindString(text)
	if link == "" || !strings.Contains(text, "Survei Penilaian Integritas") {
		t.Fatalf("text without a personal link or the Indonesian invitation: %q", text)
	}
	return strings.TrimPrefix(link, "http://integritas.test")
}

func TestWhatsAppInvitations(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	roster := "unit,type,name,email,phone\n" +
		"DINKES,internal,Ani,,0812-3456-7890\n" +
		"DINKES,internal,Budi,,+62 813 1111 2222\n" +
		"DINKES,internal,Citra,,021-555-1234\n" +
		"DINKES,internal,Dewi,dewi@example.go.id,\n"
	if _, _, err := e.store.ImportRosterCSV(ctx, e.period, "roster.csv", strings.NewReader(roster)); err != nil {
		t.Fatal(err)
	}
	u, _ := e.store.Unit(ctx, e.period.ID, "DINKES")
	rs, _ := e.store.Roster(ctx, e.period.ID, u.ID, survey.Internal)
	var want []survey.NewInvitation
	for _, r := range rs {
		c := r.Email
		if c == "" {
			c = r.Phone
		}
		want = append(want, survey.NewInvitation{UnitCode: "DINKES", Type: survey.Internal, RosterID: r.ID, Contact: c})
	}
	if _, err := e.store.CreateInvitations(ctx, e.period.ID, want); err != nil {
		t.Fatal(err)
	}
	h := e.loginAs("inspector")
	resp, body := e.send("GET", "/inspectorate/SPI-T/whatsapp", "", h)
	if resp.StatusCode != 200 || !strings.Contains(body, "Ani") || strings.Contains(body, "Dewi") {
		t.Fatalf("list: %d %.400s", resp.StatusCode, body)
	}
	// The landline is reported on its row, in Indonesian.
	if !strings.Contains(body, "Baris 3:") || !strings.Contains(body, "bukan nomor seluler Indonesia") {
		t.Fatalf("bad number not reported per row: %s", body)
	}
	ids := regexp.MustCompile(`/inspectorate/SPI-T/whatsapp/(\d+)`).FindAllStringSubmatch(body, -1)
	if len(ids) != 2 {
		t.Fatalf("%d open buttons, want 2", len(ids))
	}
	// Opening mints a link shown once: it works, and opening again retires it.
	resp, body = e.send("POST", "/inspectorate/SPI-T/whatsapp/"+ids[0][1], form("lang", "id"), h)
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("open: %d", resp.StatusCode)
	}
	first := checkWA(t, html.UnescapeString(waLinkRe.FindString(body)), "6281234567890")
	if st, _ := e.send("GET", first, "", nil); st.StatusCode != 200 {
		t.Fatalf("minted link does not open the survey: %d", st.StatusCode)
	}
	_, body = e.send("GET", "/inspectorate/SPI-T/whatsapp", "", h)
	if !strings.Contains(body, "WIB") || !strings.Contains(body, "2026-06-15 16:30") {
		t.Errorf("sent time not shown in WIB")
	}
	_, body = e.send("POST", "/inspectorate/SPI-T/whatsapp/"+ids[0][1], form("reminder", "1"), h)
	second := checkWA(t, html.UnescapeString(waLinkRe.FindString(body)), "6281234567890")
	if st, _ := e.send("GET", first, "", nil); st.StatusCode == 200 || second == first {
		t.Fatalf("the earlier link still works after a new one was minted")
	}
	// The CSV needs a confirmation; then it holds Budi's fresh link (Ani
	// was sent already) and the landline's problem.
	if resp, _ := e.send("POST", "/inspectorate/SPI-T/whatsapp.csv", form("lang", "id"), h); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("CSV without confirmation: %d", resp.StatusCode)
	}
	resp, body = e.send("POST", "/inspectorate/SPI-T/whatsapp.csv", form("confirm", "1"), h)
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if resp.StatusCode != 200 || err != nil || len(recs) != 4 {
		t.Fatalf("CSV: %d %v %q", resp.StatusCode, err, body)
	}
	byName := map[string][]string{}
	for _, r := range recs[1:] {
		byName[r[3]] = r
	}
	if byName["Budi"][5] != "+6281311112222" {
		t.Errorf("Budi's E.164 %q", byName["Budi"][5])
	}
	checkWA(t, byName["Budi"][6], "6281311112222")
	if byName["Citra"][6] != "" || !strings.Contains(byName["Citra"][7], "seluler") {
		t.Errorf("landline row %q", byName["Citra"])
	}
	if byName["Ani"][6] != "" {
		t.Errorf("an already sent invitation got a fresh link without all=1")
	}
	// No token or wa.me link is stored anywhere: only the send time.
	list, _ := e.store.WhatsAppInvitations(ctx, e.period.ID, "")
	n := 0
	for _, w := range list {
		if !w.SentAt.IsZero() {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d sends recorded, want 2", n)
	}
}

// A preview posts its answers nowhere that stores them.
func TestPreviewStoresNothing(t *testing.T) {
	e := newTestEnv(t)
	h := e.loginAs("inspector")
	for _, typ := range []string{"internal", "external", "expert"} {
		for _, lang := range []string{"id", "en"} {
			resp, body := e.send("GET", "/inspectorate/SPI-T/preview/"+typ+"?lang="+lang, "", h)
			if resp.StatusCode != 200 || !strings.Contains(body, `action="/inspectorate/SPI-T/preview/`+typ+`"`) {
				t.Fatalf("%s %s: %d", typ, lang, resp.StatusCode)
			}
		}
	}
	_, body := e.send("GET", "/inspectorate/SPI-T/preview/external", "", h)
	fields := regexp.MustCompile(`name="([A-Z]+[0-9]+)" value="1"`).FindAllStringSubmatch(body, -1)
	kv := []string{}
	for _, f := range fields {
		kv = append(kv, f[1], "1")
	}
	resp, body := e.send("POST", "/inspectorate/SPI-T/preview/external", form(kv...), h)
	if resp.StatusCode != 200 || !strings.Contains(body, "TIDAK disimpan") {
		t.Fatalf("preview post: %d", resp.StatusCode)
	}
	counts, err := e.store.ResponseCounts(context.Background(), e.period.ID)
	if err != nil || len(counts) != 0 {
		t.Fatalf("a preview stored responses: %v %v", counts, err)
	}
	if resp, _ := e.send("GET", "/inspectorate/SPI-T/preview/boss", "", h); resp.StatusCode != 404 {
		t.Errorf("unknown type: %d", resp.StatusCode)
	}
}

// After sign-in each role lands where it works.
func TestLandingByRole(t *testing.T) {
	e := newTestEnv(t)
	for role, want := range map[string]string{"inspector": "/inspectorate", "admin": "/inspectorate", "analyst": "/dash", "viewer": "/dash"} {
		var h map[string]string
		if role == "viewer" {
			h = e.loginAs(role, "DINKES")
		} else {
			h = e.loginAs(role)
		}
		resp, _ := e.send("GET", "/", "", h)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("%s lands on %d %q, want %q", role, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	if resp, _ := e.send("GET", "/", "", nil); resp.StatusCode != 200 {
		t.Errorf("anonymous home: %d", resp.StatusCode)
	}
}

// "Send to all unit heads" shows what it will do, marks an open period's
// packets provisional, and sends only once confirmed.
func TestBulkSendNeedsConfirmation(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, u := range []string{"DINKES", "DISDIK"} {
		if _, err := e.store.SavePacketBuild(ctx, e.period.ID, u, "id", []byte("PK\x03\x04 "+u), "test"); err != nil {
			t.Fatal(err)
		}
	}
	h := e.loginAs("inspector")
	resp, body := e.send("POST", "/inspectorate/SPI-T/packets/send", form("lang", "id", "mode", "link"), h)
	if resp.StatusCode != 200 || !strings.Contains(body, "2 paket akan dikirim") || !strings.Contains(body, "SEMENTARA") {
		t.Fatalf("no confirmation: %d %s", resp.StatusCode, body)
	}
	if ds, _ := e.store.Deliveries(ctx, e.period.ID, survey.DeliveryPacket, 10); len(ds) != 0 {
		t.Fatalf("%d packets queued before confirmation", len(ds))
	}
	resp, _ = e.send("POST", "/inspectorate/SPI-T/packets/send", form("lang", "id", "mode", "link", "confirm", "1"), h)
	if ds, _ := e.store.Deliveries(ctx, e.period.ID, survey.DeliveryPacket, 10); resp.StatusCode != http.StatusSeeOther || len(ds) != 2 {
		t.Fatalf("confirmed send: %d, %d queued", resp.StatusCode, len(ds))
	}
}

// A correction above the cap is refused at entry, naming the cap.
func TestCorrectionAboveCapRefused(t *testing.T) {
	e := newTestEnv(t)
	h := e.loginAs("inspector")
	resp, body := e.send("POST", "/inspectorate/SPI-T/corrections", form("unit", "DINKES", "kind", "complaints", "points", "25", "reason", "Pengaduan"), h)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Batas 20,0 poin") {
		t.Fatalf("25 points above a cap of 20: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.send("POST", "/inspectorate/SPI-T/corrections", form("unit", "DINKES", "kind", "complaints", "points", "12", "reason", "Pengaduan"), h); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("12 points: %d", resp.StatusCode)
	}
	resp, body = e.send("POST", "/inspectorate/SPI-T/corrections", form("unit", "DINKES", "kind", "complaints", "points", "9", "reason", "Lagi"), h)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "sudah 12,0 poin") {
		t.Fatalf("12 + 9 above 20: %d", resp.StatusCode)
	}
}
