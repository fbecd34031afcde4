package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"integritas/internal/pgtest"
	"integritas/survey"
)

// TestCLIAndServerShareOrgSettings: the organisation settings saved once in
// the database give the same links and the same letter whether the command
// line or the server makes them. The server starts with another base URL in
// its configuration (not given as a flag), as `serve` would from an old
// environment: the stored settings must win there too. The same people are
// reminded once by `mail remind` and once from the inspectorate's page, and
// each unit head gets the packet built by `integritas packets` and the one
// the server mails: after the one-time tokens are masked, the texts match.
func TestCLIAndServerShareOrgSettings(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	db := testDB(t, "org.db")
	sink := newSMTPSink(t)
	const base, name = "https://spi.sukamaju.go.id", "Inspektorat Kota Sukamaju"

	st, err := openDB(ctx, db)
	must(t, err)
	org := survey.DefaultOrgSettings()
	org.BaseURL, org.Inspectorate, org.Letterhead = base, name, "PEMERINTAH KOTA SUKAMAJU"
	org.Address, org.Signatory, org.SignatoryNIP = "Jl. Merdeka 1, Sukamaju", "Dra. Ratna Sari", "196801011990032001"
	org.ReplyTo, org.LetterPlace = "inspektorat@sukamaju.go.id", "Sukamaju"
	must(t, st.SaveOrgSettings(ctx, org, "t"))
	st.Close()

	write := func(file, body string) string {
		p := filepath.Join(dir, file)
		must(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	var roster strings.Builder
	roster.WriteString("unit,type,name,email\n")
	for i := 1; i <= 4; i++ {
		fmt.Fprintf(&roster, "DINKES,internal,Pegawai %d,pegawai%d@pemda.example.go.id\n", i, i)
	}
	for _, args := range [][]string{
		{"period", "create", "--code", "ORG", "--name", "SPI Sukamaju"},
		{"import", "units", "--period", "ORG", write("units.csv", "code,name,parent_code,head_email,internal_population,external_population,expert_population\n"+
			"DINKES,Dinas Kesehatan,,kadinkes@pemda.example.go.id,40,,\n")},
		{"import", "roster", "--period", "ORG", write("roster.csv", roster.String())},
		{"period", "open", "--period", "ORG"},
	} {
		cliOK(t, append(args, "--db", db)...)
	}
	if code, _, e := runCLI(t, "kata-sandi-audit-123\n", "user", "add", "--db", db, "--email", "inspector@pemda.example.go.id", "--role", "inspector"); code != 0 {
		t.Fatal(e)
	}

	// Printed links.
	out := cliOK(t, "invite", "--db", db, "--period", "ORG", "--unit", "DINKES", "--type", "internal", "--from-roster")
	if n := strings.Count(out, "\t"+base+"/s/"); n != 4 {
		t.Fatalf("%d of 4 printed links use the stored base URL:\n%s", n, out)
	}

	// Reminders from the command line, sent through the test's SMTP server.
	smtpFlags := []string{"--smtp-host", "127.0.0.1", "--smtp-port", fmt.Sprint(sink.port), "--smtp-tls", "none", "--smtp-from", "spi@pemda.example.go.id"}
	cliOK(t, "mail", "remind", "--db", db, "--period", "ORG")
	cliOK(t, append([]string{"mail", "send", "--db", db}, smtpFlags...)...)
	cliMail := byRecipient(t, sink.Messages())
	if len(cliMail) != 4 {
		t.Fatalf("the command line reminded %d people, want 4", len(cliMail))
	}
	// The packets on the server's clock (startServe runs on time.Now), so
	// both letters carry the same date.
	cliPackets := filepath.Join(dir, "packets")
	var stdout, stderr bytes.Buffer
	cl := &cli{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: envFor(db), now: time.Now}
	if code := cl.run([]string{"packets", "--db", db, "--period", "ORG", "--out", cliPackets}); code != 0 {
		t.Fatalf("packets: %s", stderr.String())
	}

	// The same from the server's pages.
	srv := startServe(t, ctx, db, sink.port, io.Discard)
	insp := srv.login(t, "inspector")
	before := len(sink.Messages())
	srv.post(t, insp, "/inspectorate/ORG/invitations/remind", url.Values{"lang": {"id"}, "confirm": {"1"}}, 303)
	waitMails(t, sink, before+4)
	srvMail := byRecipient(t, sink.Messages()[before:])
	srv.post(t, insp, "/inspectorate/ORG/packets/build", url.Values{"lang": {"id"}}, 303)
	waitBuilt(t, db, 1)
	before = len(sink.Messages())
	srv.post(t, insp, "/inspectorate/ORG/packets/send", url.Values{"lang": {"id"}, "mode": {"attach"}, "confirm": {"1"}}, 303)
	waitMails(t, sink, before+1)
	packetMail := sink.Messages()[before]
	srv.stop(t)

	token := regexp.MustCompile(`/s/[A-Za-z0-9_-]{20,}`)
	for to, c := range cliMail {
		s, ok := srvMail[to]
		if !ok {
			t.Errorf("the server did not remind %s", to)
			continue
		}
		for who, text := range map[string]string{"command line": c, "server": s} {
			if !strings.Contains(text, base+"/s/") || !strings.Contains(text, name) || strings.Contains(text, "spi.pemda.example.go.id") || strings.Contains(text, "Inspektorat Daerah") {
				t.Errorf("%s's reminder to %s does not use the stored settings:\n%s", who, to, text)
			}
		}
		if token.ReplaceAllString(c, "/s/TOKEN") != token.ReplaceAllString(s, "/s/TOKEN") {
			t.Errorf("reminders to %s differ:\ncommand line:\n%s\nserver:\n%s", to, c, s)
		}
	}

	// The letters: the PDF of the packet the CLI wrote and of the one the
	// server mailed to the unit head.
	cliZip, err := os.ReadFile(filepath.Join(cliPackets, "DINKES.zip"))
	must(t, err)
	var srvZip []byte
	for _, b := range packetMail.Attachments {
		if bytes.HasPrefix(b, []byte("PK")) {
			srvZip = b
		}
	}
	if srvZip == nil {
		t.Fatalf("the packet e-mail has no ZIP attached: %v", packetMail.To)
	}
	cliText, srvText := pdfText(t, "cli DINKES", reportPDF(t, cliZip)), pdfText(t, "server DINKES", reportPDF(t, srvZip))
	if cliText == "" && srvText == "" {
		return // pdftotext is missing; pdfText said so (and failed under INTEGRITAS_REQUIRE_ALL)
	}
	if !strings.Contains(cliText, name) || strings.Contains(cliText, "Inspektorat Daerah") {
		t.Errorf("the CLI's letter is not signed by the stored inspectorate:\n%.1500s", cliText)
	}
	if cliText != srvText {
		t.Errorf("the letters differ:\ncommand line:\n%.3000s\nserver:\n%.3000s", cliText, srvText)
	}
}

// byRecipient maps each message's first recipient to its text.
func byRecipient(t *testing.T, msgs []sunkMail) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range msgs {
		if len(m.To) > 0 {
			out[m.To[0]] = m.Text
		}
	}
	return out
}

// waitMails waits until the sink holds n messages.
func waitMails(t *testing.T, sink *smtpSink, n int) {
	t.Helper()
	(&audit{}).waitMail(t, sink, n)
}

// reportPDF returns the PDF inside a packet ZIP.
func reportPDF(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	must(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if strings.HasSuffix(f.Name, ".pdf") {
			r, err := f.Open()
			must(t, err)
			pdf, err := io.ReadAll(r)
			must(t, err)
			return pdf
		}
	}
	sort.Strings(names)
	t.Fatalf("no PDF in the packet: %v", names)
	return nil
}

// waitBuilt waits until a finished build job stored n packets, on either
// store (the audit and the settings parity test share it).
func waitBuilt(t *testing.T, db string, n int) {
	t.Helper()
	ro := pgtest.OpenRaw(t, db)
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var got int
		ro.QueryRow(`SELECT count(*) FROM packet_job_units ju JOIN packet_jobs j ON j.id = ju.job_id
			WHERE j.status = 'done' AND ju.build_id IS NOT NULL`).Scan(&got)
		if got >= n {
			return
		}
	}
	t.Fatalf("the packets were not built")
}
