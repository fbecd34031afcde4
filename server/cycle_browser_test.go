package server

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"integritas/assets"
	"integritas/config"
	"integritas/internal/pgtest"
	"integritas/locale"
	"integritas/mail"
	"integritas/packet"
	"integritas/survey"
)

// cycleEnv is a server as `serve --mail-sink` runs it: mail is queued,
// sent by the worker into the outbox admins read, and nothing leaves.
type cycleEnv struct {
	url    string
	store  *survey.Store
	outbox *mail.Outbox
}

func newCycleEnv(t *testing.T, now time.Time) *cycleEnv {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	clock := func() time.Time { return now }
	db, key := pgtest.DB(t, filepath.Join(t.TempDir(), "cycle.db"))
	st, err := survey.Open(ctx, db, survey.WithKeyFile(key), survey.WithClock(clock))
	must(t, err)
	t.Cleanup(func() { st.Close() })
	bundle, err := locale.Load(assets.FS)
	must(t, err)
	cfg := config.Defaults()
	cfg.CookieSecure, cfg.BaseURL = false, "http://integritas.test"
	c, err := mail.NewComposer(assets.FS, bundle, cfg.Inspectorate)
	must(t, err)
	out := mail.NewOutbox(0, time.Now)
	m := &mail.Mailer{St: st, C: c, BaseURL: cfg.BaseURL}
	m.W = mail.NewWorker(st, out, mail.Options{PerMinute: 60000, Poll: 100 * time.Millisecond, Now: time.Now})
	go m.W.Run(ctx)
	srv, err := New(Options{Store: st, Config: cfg, Now: clock, Mail: m, Outbox: out})
	must(t, err)
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &cycleEnv{url: hs.URL, store: st, outbox: out}
}

// cyclePage drives one browser tab through the staff pages.
type cyclePage struct {
	t   *testing.T
	ctx context.Context
	url string
}

// open loads a page, checks it with axe-core and returns its main text.
func (p *cyclePage) open(path string) string {
	p.t.Helper()
	visit(p.t, p.ctx, p.url+path, `main`)
	return p.main()
}

func (p *cyclePage) main() string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(`main`)))
	must(p.t, err)
	return s
}

// submit fills a form's fields (selector -> value; "checked" ticks a box),
// attaches files, submits it as a person would and returns the next page.
func (p *cyclePage) submit(form string, values, files map[string]string) string {
	p.t.Helper()
	for sel, v := range values {
		js := `(() => { const el = document.querySelector(` + strconv.Quote(sel) + `); if (!el) return false; ` +
			`if (el.type === 'checkbox') el.checked = true; else el.value = ` + strconv.Quote(v) + `; return true })()`
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](js))
		if err != nil || !ok {
			p.t.Fatalf("field %s on %s: %v", sel, form, err)
		}
	}
	for sel, path := range files {
		must(p.t, chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path})))
	}
	_, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`window.__before = true`))
	must(p.t, err)
	must(p.t, chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(form+` button[type=submit]`))))
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		old, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`window.__before === true || document.readyState !== 'complete'`))
		if err == nil && !old {
			axePage(p.t, p.ctx)
			return p.main()
		}
	}
	p.t.Fatalf("submitting %s loaded no page", form)
	return ""
}

// fetch reads a URL inside the signed-in browser: status and first bytes.
func (p *cyclePage) fetch(path string) (int, string) {
	p.t.Helper()
	got, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]any](`fetch(`+strconv.Quote(path)+`).then(async r => [r.status, new TextDecoder().decode((await r.arrayBuffer()).slice(0, 8))])`, chromedp.EvalAwaitPromise))
	must(p.t, err)
	return int(got[0].(float64)), got[1].(string)
}

func (p *cyclePage) expect(step, text string, want ...string) {
	p.t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			p.t.Fatalf("%s: the page lacks %q:\n%.2500s", step, w, text)
		}
	}
}

// TestInspectorCycleInBrowser walks the inspectorate through a whole period
// in Chromium, as a new inspector would from the README, in Indonesian: a
// draft period created and edited, refused to open past its closing date,
// opened and extended; units and a roster imported; a sample drawn with
// invitations that arrive in the outbox; the WhatsApp list; a poster; the
// questionnaire previewed; the period closed; packets built and sent after
// a confirmation; and the unit head returning an action plan through the
// packet link.
func TestInspectorCycleInBrowser(t *testing.T) {
	now := time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)
	env := newCycleEnv(t, now)
	ctx := newBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 150*time.Second)
	defer cancel()
	admin, err := env.store.CreateUser(context.Background(), survey.NewUser{Email: "admin@example.go.id", Name: "Admin", Role: "admin", Password: testPassword})
	must(t, err)
	p := &cyclePage{t: t, ctx: ctx, url: env.url}
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		must(t, os.WriteFile(path, []byte(body), 0o600))
		return path
	}

	// Sign in: the admin lands on the inspectorate's page.
	p.open("/login?lang=id")
	p.submit(`form[action="/login"]`, map[string]string{"#email": admin.Email, "#password": testPassword}, nil)

	// A draft period with the README's kind of dates, already past here.
	p.open("/admin/periods")
	text := p.submit(`form[action="/admin/periods"]`, map[string]string{"#code": "SPI-B", "#name": "SPI Uji", "#opens": "2026-01-01", "#closes": "2026-03-31"}, nil)
	p.expect("create", text, "SPI-B", "SPI Uji")
	text = p.submit(`form[action="/admin/periods/SPI-B/open"]`, nil, nil)
	p.expect("open past its closing date", text, "2026-03-31")
	if st, _ := env.store.Period(context.Background(), "SPI-B"); st.Status != survey.StatusDraft {
		t.Fatalf("a period closing 2026-03-31 opened on 2026-06-15: %s", st.Status)
	}
	p.open("/admin/periods/SPI-B/edit")
	text = p.submit(`#period-edit`, map[string]string{"#period-edit #name": "SPI Kota Uji 2026", "#period-edit #closes": "2026-07-31"}, nil)
	p.expect("edit", text, "SPI Kota Uji 2026")
	p.open("/admin/periods")
	p.submit(`form[action="/admin/periods/SPI-B/open"]`, nil, nil)
	if st, _ := env.store.Period(context.Background(), "SPI-B"); st.Status != survey.StatusOpen {
		t.Fatalf("after the edit the period did not open: %s", st.Status)
	}
	p.open("/admin/periods/SPI-B/edit")
	p.submit(`#period-extend`, map[string]string{"#period-extend #closes": "2026-08-31"}, nil)
	if st, _ := env.store.Period(context.Background(), "SPI-B"); st.ClosesOn != "2026-08-31" {
		t.Fatalf("extend: closes %s", st.ClosesOn)
	}

	// Units and a roster: staff with e-mail, experts with phone numbers.
	p.open("/admin/periods/SPI-B/units")
	text = p.submit(`form[enctype="multipart/form-data"]`, nil, map[string]string{`input[type=file]`: write("units.csv",
		"code,name,parent_code,head_email,internal_population,external_population,expert_population\n"+
			"DINKES,Dinas Kesehatan,,kadinkes@example.go.id,40,5000,6\nDISDIK,Dinas Pendidikan,,kadisdik@example.go.id,40,8000,\n")})
	p.expect("units", text, "DINKES")
	var roster strings.Builder
	roster.WriteString("unit,type,name,email,phone,grade,years_institution,years_unit,role\n")
	for i := 1; i <= 12; i++ {
		roster.WriteString("DINKES,internal,Pegawai " + strconv.Itoa(i) + ",pegawai" + strconv.Itoa(i) + "@example.go.id,,III,5,3,staf\n")
	}
	roster.WriteString("DINKES,expert,Prof. Ahmad,,0812-3456-7890,,,,\nDINKES,expert,Dr. Sari,,+62 813 1111 2222,,,,\nDINKES,expert,Salah Nomor,,12345,,,,\n")
	p.open("/inspectorate/SPI-B/roster")
	text = p.submit(`form[enctype="multipart/form-data"]`, nil, map[string]string{`input[type=file]`: write("roster.csv", roster.String())})
	p.expect("roster", text, "Daftar pegawai diimpor")

	// A sample with invitations, which the worker puts in the outbox.
	p.open("/inspectorate/SPI-B/sampling")
	text = p.submit(`form[action="/inspectorate/SPI-B/sampling"]`, map[string]string{"#margin": "10", "#seed": "2026",
		`input[name=type][value=internal]`: "checked", `input[name=type][value=expert]`: "checked", `input[name=unit][value=DINKES]`: "checked",
		`input[name=invite]`: "checked"}, nil)
	// Drawn for ±10 points: 11 of the 12 staff, each invited by e-mail.
	p.expect("sample", text, "Undangan dimasukkan ke antrean", "pegawai")
	for deadline := time.Now().Add(20 * time.Second); len(env.outbox.Messages()) < 11 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
	}
	if n := len(env.outbox.Messages()); n != 11 {
		t.Fatalf("%d invitations reached the outbox, want the 11 staff drawn", n)
	}
	text = p.open("/admin/outbox")
	p.expect("outbox", text, "11 pesan", "Undangan mengisi Survei Penilaian Integritas SPI Kota Uji 2026", "Kepada pegawai")

	// WhatsApp: experts with phone numbers, a bad number reported.
	text = p.open("/inspectorate/SPI-B/whatsapp")
	p.expect("whatsapp list", text, "Prof. Ahmad", "12345")
	p.submit(`form[action^="/inspectorate/SPI-B/whatsapp/"]`, nil, nil)
	wa, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('a[href^="https://wa.me/"]') || {}).href || ''`))
	must(t, err)
	if !regexp.MustCompile(`^https://wa\.me/628\d{8,11}\?text=.*http%3A%2F%2Fintegritas\.test%2Fs%2F`).MatchString(wa) {
		t.Fatalf("WhatsApp link %q: want wa.me/62… with the personal link in the text", wa)
	}

	// Posters and the questionnaire preview.
	text = p.open("/inspectorate/SPI-B/openlinks")
	p.expect("open links", text, "Dinas Kesehatan", "/r/SPI-B/DINKES")
	if code, head := p.fetch("/inspectorate/SPI-B/posters/DINKES.pdf"); code != 200 || !strings.HasPrefix(head, "%PDF") {
		t.Fatalf("poster: %d %q", code, head)
	}
	before := countResponses(t, env.store)
	text = p.open("/inspectorate/SPI-B/preview/internal?lang=id")
	if !strings.Contains(strings.ToLower(text), "pratinjau") {
		t.Fatalf("preview page: %.1500s", text)
	}
	if after := countResponses(t, env.store); after != before {
		t.Fatalf("the preview stored %d responses", after-before)
	}

	// Close the period (with its confirmation), then send packets by link
	// after the bulk confirmation.
	p.open("/admin/periods/SPI-B/close")
	p.submit(`form[action="/admin/periods/SPI-B/close"]`, map[string]string{"#confirm": "SPI-B"}, nil) // typing the code confirms
	if st, _ := env.store.Period(context.Background(), "SPI-B"); st.Status != survey.StatusClosed {
		t.Fatalf("close: %s", st.Status)
	}
	p.open("/inspectorate/SPI-B/packets")
	p.submit(`form[action="/inspectorate/SPI-B/packets/build"]`, nil, nil)
	waitBuilds(t, env.store, 2)
	p.open("/inspectorate/SPI-B/packets")
	sent := len(env.outbox.Messages())
	text = p.submit(`form[action="/inspectorate/SPI-B/packets/send"]:not(.inline)`, map[string]string{"#mode": "link"}, nil)
	if len(env.outbox.Messages()) != sent {
		t.Fatal("packets were sent before the confirmation")
	}
	// What will happen: both packets, both units without an index (no
	// answers in this test), and not provisional now the period is closed.
	p.expect("confirmation", text, "Periksa sebelum mengirim", "2 paket akan dikirim", "Unit tanpa indeks", "DINKES", "DISDIK")
	if strings.Contains(text, "SEMENTARA") {
		t.Error("the confirmation calls packets of a closed period provisional")
	}
	p.submit(`form:has(#confirm-send)`, nil, nil)
	var link string
	for deadline := time.Now().Add(20 * time.Second); link == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, m := range env.outbox.Messages() {
			if m.To == "kadinkes@example.go.id" {
				link = regexp.MustCompile(`http://integritas\.test(/packet/[A-Za-z0-9_-]{43})/return`).FindStringSubmatch(m.Text)[1]
			}
		}
	}
	if link == "" {
		t.Fatal("no packet e-mail with a return link reached the head of DINKES")
	}

	// The head, without an account: a fresh browser tab with no session.
	hctx, hcancel := chromedp.NewContext(ctx)
	defer hcancel()
	head := &cyclePage{t: t, ctx: hctx, url: env.url}
	plan := filledPlan(t, env.url+link, dir)
	text = head.open(link + "/return?lang=id")
	p.expect("return page", text, "Kembalikan rencana aksi", "DINKES")
	text = head.submit(`form[enctype="multipart/form-data"]`, nil, map[string]string{`#file`: plan})
	p.expect("returned plan", text, "rencana aksi sudah diterima")
	plans, err := env.store.ActionPlans(context.Background(), mustPeriodID(t, env.store, "SPI-B"), "")
	must(t, err)
	if len(plans) != 1 || plans[0].UnitCode != "DINKES" || plans[0].Action != "Rotasi pejabat pengadaan" || plans[0].UpdatedBy != "link:DINKES" {
		t.Fatalf("returned plans: %+v", plans)
	}
}

// filledPlan downloads the packet by its link, fills one row of the
// action-plan sheet as a unit head would, and saves the workbook.
func filledPlan(t *testing.T, url, dir string) string {
	t.Helper()
	resp, err := http.Get(url)
	must(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("packet by link: %d %v", resp.StatusCode, err)
	}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".xlsx") {
			continue
		}
		r, err := f.Open()
		must(t, err)
		x, err := excelize.OpenReader(r)
		must(t, err)
		sheet := "Rencana aksi"
		row := strconv.Itoa(packet.HeaderRow + 1)
		for col, v := range map[string]string{"A": "DINKES", "B": "pbj", "E": "Rotasi pejabat pengadaan", "F": "Sekretaris", "G": "2026-12-31"} {
			must(t, x.SetCellStr(sheet, col+row, v))
		}
		path := filepath.Join(dir, "rencana-aksi.xlsx")
		must(t, x.SaveAs(path))
		return path
	}
	t.Fatal("the packet holds no workbook")
	return ""
}

func countResponses(t *testing.T, st *survey.Store) int {
	t.Helper()
	p, err := st.Period(context.Background(), "SPI-B")
	must(t, err)
	counts, err := st.ResponseCounts(context.Background(), p.ID)
	must(t, err)
	n := 0
	for _, byType := range counts {
		for _, c := range byType {
			n += c
		}
	}
	return n
}

func mustPeriodID(t *testing.T, st *survey.Store, code string) int64 {
	t.Helper()
	p, err := st.Period(context.Background(), code)
	must(t, err)
	return p.ID
}

// waitBuilds waits for the background packet build.
func waitBuilds(t *testing.T, st *survey.Store, n int) {
	t.Helper()
	id := mustPeriodID(t, st, "SPI-B")
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if bs, err := st.LatestPacketBuilds(context.Background(), id); err == nil && len(bs) >= n {
			return
		}
	}
	t.Fatalf("fewer than %d packets were built", n)
}
