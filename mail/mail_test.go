package mail

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"integritas/assets"
	"integritas/config"
	"integritas/internal/demo"
	"integritas/internal/testdeps"
	"integritas/locale"
	"integritas/packet"
	"integritas/results"
	"integritas/survey"
)

var testNow = time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)

func demoStore(t testing.TB) *survey.Store {
	t.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), survey.WithPoolRelease(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Build(ctx, st, demo.Options{Seed: 7, Now: testNow, Instrument: assets.DefaultInstrument()}); err != nil {
		t.Fatal(err)
	}
	return st
}

func testMailer(t testing.TB, st *survey.Store, ib *inbox, perMin int) (*Mailer, *Worker, *locale.Bundle) {
	t.Helper()
	b, err := locale.Load(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewComposer(assets.FS, b, "Inspektorat Kota Sukamaju")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPTLS, cfg.SMTPFrom = "127.0.0.1", ib.port(), "none", "inspektorat@sukamaju.example"
	s, err := NewSMTP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorker(st, s, Options{PerMinute: perMin, Backoff: func(int) time.Duration { return 0 }})
	return &Mailer{St: st, C: c, BaseURL: "https://spi.sukamaju.example", W: w}, w, b
}

// pdfText runs poppler's pdftotext; it skips when missing unless
// INTEGRITAS_REQUIRE_ALL=1 makes that a failure.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		testdeps.Missing(t, "pdftotext", "install poppler-utils (apt-get install poppler-utils)")
	}
	in := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return regexp.MustCompile(`\s+`).ReplaceAllString(string(out), " ")
}

// parts splits a received message into its text body and attachments.
func parts(t testing.TB, raw []byte) (subject, text string, files map[string][]byte) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	files = map[string][]byte{}
	var walk func(ct string, h func(string) string, body io.Reader)
	walk = func(ct string, h func(string) string, body io.Reader) {
		mt, params, _ := mime.ParseMediaType(ct)
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err != nil {
					return
				}
				walk(p.Header.Get("Content-Type"), p.Header.Get, p)
			}
		}
		data, _ := io.ReadAll(body)
		switch strings.ToLower(h("Content-Transfer-Encoding")) {
		case "base64":
			data, _ = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(data)), ""))
		case "quoted-printable":
			data, _ = io.ReadAll(newQP(data))
		}
		if _, p, err := mime.ParseMediaType(h("Content-Disposition")); err == nil && p["filename"] != "" {
			files[p["filename"]] = data
		} else if mt == "text/plain" {
			text = string(data)
		}
	}
	walk(m.Header.Get("Content-Type"), m.Header.Get, m.Body)
	return subject, text, files
}

// Every unit head gets exactly one message holding the unit's packet, whose
// PDF names the unit with its index and category; a delivery the server
// refuses once is retried and logged; sent bodies are blanked.
func TestPacketsReachEveryUnitHead(t *testing.T) {
	ctx := context.Background()
	st := demoStore(t)
	p, _ := st.Period(ctx, demo.Current)
	units, _ := st.Units(ctx, p.ID)
	busy := units[3].HeadEmail
	ib := newInbox(t, busy)
	m, w, b := testMailer(t, st, ib, 6000)
	h, err := results.LoadHistory(ctx, st, results.Computer(st), demo.Current)
	if err != nil {
		t.Fatal(err)
	}
	org := survey.DefaultOrgSettings()
	org.Inspectorate = "Inspektorat Kota Sukamaju"
	src, err := packet.NewSource(h, b, org, testNow)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]survey.Unit{}
	for _, u := range units {
		if !IsEmail(u.HeadEmail) {
			t.Fatalf("fixture: unit %s has no head e-mail", u.Code)
		}
		byCode[u.Code] = u
	}
	linkUnit := units[0].Code // one packet goes as a download link
	err = src.BuildEach(ctx, "id", nil, func(code string, zip []byte) error {
		id, err := st.SavePacketBuild(ctx, p.ID, code, "id", zip, "test")
		if err != nil {
			return err
		}
		build, err := st.PacketBuild(ctx, id)
		if err != nil {
			return err
		}
		_, err = m.QueuePacket(ctx, p, byCode[code], build, code != linkUnit, 72*time.Hour)
		return err
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if ib.refused != 1 {
		t.Fatalf("the server refused %d times, want 1", ib.refused)
	}
	if got := ib.total(); got != len(units) {
		t.Errorf("%d messages for %d unit heads", got, len(units))
	}
	tr := b.For("id")
	for _, u := range src.Current.Results.Units {
		t.Run(u.Code, func(t *testing.T) {
			msgs := ib.received(byCode[u.Code].HeadEmail)
			if len(msgs) != 1 {
				t.Fatalf("%d messages to the head of %s, want exactly 1", len(msgs), u.Code)
			}
			subject, text, files := parts(t, msgs[0])
			if !strings.Contains(subject, u.Name) {
				t.Errorf("subject %q lacks the unit name", subject)
			}
			zipData := files[u.Code+".zip"]
			if u.Code == linkUnit {
				if len(files) != 0 {
					t.Errorf("a link delivery carries attachments")
				}
				token := regexp.MustCompile(`/packet/([A-Za-z0-9_-]{43})`).FindStringSubmatch(text)
				if token == nil {
					t.Fatalf("no download link in %q", text)
				}
				build, err := st.PacketByLink(ctx, token[1])
				if err != nil {
					t.Fatal(err)
				}
				zipData = build.Data
			}
			zr, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
			if err != nil {
				t.Fatalf("attachment is not a ZIP: %v", err)
			}
			var pdf []byte
			for _, f := range zr.File {
				if strings.HasSuffix(f.Name, ".pdf") {
					rc, _ := f.Open()
					pdf, _ = io.ReadAll(rc)
					rc.Close()
				}
			}
			text = pdfText(t, pdf)
			want := []string{u.Name}
			if u.Index != nil && !u.Suppressed {
				want = append(want, tr.Num(*u.Index, 2), u.CategoryLabel.ID)
			} else {
				want = append(want, tr.T("packet.suppressed_note", "K", 5)[:40])
			}
			for _, s := range want {
				if !strings.Contains(text, s) {
					t.Errorf("PDF of %s lacks %q", u.Code, s)
				}
			}
		})
	}
	log, err := st.Deliveries(ctx, p.ID, survey.DeliveryPacket, 0)
	if err != nil {
		t.Fatal(err)
	}
	retried := 0
	for _, d := range log {
		if d.Status != survey.DeliverySent || d.Text != "" || d.HTML != "" || d.SentAt.IsZero() {
			t.Errorf("delivery %d to %s: status %s, body kept %v", d.ID, d.Recipient, d.Status, d.Text != "")
		}
		if d.Recipient == busy {
			retried++
			if d.Attempts != 2 || !strings.Contains(d.LastError, "451") {
				t.Errorf("refused delivery logged with %d attempts, error %q", d.Attempts, d.LastError)
			}
		} else if d.Attempts != 1 {
			t.Errorf("delivery to %s took %d attempts", d.Recipient, d.Attempts)
		}
	}
	if retried != 1 {
		t.Errorf("%d deliveries to the busy mailbox", retried)
	}
}
