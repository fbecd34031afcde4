package mail

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"integritas/assets"
	"integritas/config"
	"integritas/survey"
)

// TestMain lets the test binary act as the crash test's child process.
func TestMain(m *testing.M) {
	if db := os.Getenv("INTEGRITAS_MAIL_CHILD"); db != "" {
		mailChild(db)
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// TestKilledSMTPSendKeepsItsMessageID kills a real sending process with
// SIGKILL during SMTP DATA: the test's SMTP server has read the whole
// packet message but not yet said 250, the worst moment, since the server
// holds the message while the sender never learns it. After the restart the
// queue sends it again (within minutes: the lease is short) with the same
// Message-ID, so the recipient's system can drop the copy; the other
// head's packet goes once. Before, the copy carried a new random
// Message-ID and waited ten minutes.
func TestKilledSMTPSendKeepsItsMessageID(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "mail.db")
	st, err := survey.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	p := packetPeriod(t, st)
	ib := newInbox(t)
	m, _, _ := testMailer(t, st, ib, 6000)
	units, _ := st.Units(ctx, p.ID)
	for _, u := range units {
		id, err := st.SavePacketBuild(ctx, p.ID, u.Code, "id", []byte("PK\x03\x04 packet of "+u.Code), "test")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := st.PacketBuild(ctx, id)
		if _, err := m.QueuePacketOnce(ctx, p, u, b, true, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "INTEGRITAS_MAIL_CHILD="+db, "INTEGRITAS_MAIL_PORT="+strconv.Itoa(ib.port()))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	dead := make(chan struct{})
	ib.setOnData(func() { // the sender dies before the server's 250
		cmd.Process.Signal(syscall.SIGKILL)
		<-dead
	})
	err = cmd.Wait()
	close(dead)
	ib.setOnData(nil)
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the sender was not killed during DATA (err %v):\n%s", err, out.String())
	}
	if ib.total() != 1 {
		t.Fatalf("the server holds %d messages at the kill, want 1", ib.total())
	}

	// The restart, four minutes later: past the lease of the killed claim.
	later := time.Now().Add(4 * time.Minute)
	st, err = survey.Open(ctx, db, survey.WithClock(func() time.Time { return later }))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w := NewWorker(st, mustSMTP(t, ib), Options{PerMinute: 6000, Now: func() time.Time { return later }})
	n, err := w.Drain(ctx)
	if err != nil || n != 2 {
		t.Fatalf("after the restart: sent %d, err %v; want 2 (the killed one again, and the other)", n, err)
	}
	ids := map[string]string{} // Message-ID -> recipient
	for _, u := range units {
		msgs := ib.received(u.HeadEmail)
		var got []string
		for _, raw := range msgs {
			msg, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, msg.Header.Get("Message-Id"))
		}
		t.Logf("%s received %d: %v", u.HeadEmail, len(got), got)
		if len(got) == 0 || len(got) > 2 {
			t.Fatalf("%s received %d messages", u.HeadEmail, len(got))
		}
		for _, id := range got {
			if id != got[0] || !strings.HasPrefix(id, "<integritas.packet.") || !strings.HasSuffix(id, "@sukamaju.example>") {
				t.Errorf("%s: Message-IDs %v: a repeated send must carry the first one's", u.HeadEmail, got)
			}
			if r, ok := ids[id]; ok && r != u.HeadEmail {
				t.Errorf("two heads' packets share the Message-ID %s", id)
			}
			ids[id] = u.HeadEmail
		}
	}
	log, _ := st.Deliveries(ctx, p.ID, survey.DeliveryPacket, 0)
	for _, d := range log {
		if d.Status != survey.DeliverySent {
			t.Errorf("delivery %d is %s after the restart", d.ID, d.Status)
		}
	}
}

// packetPeriod is a period with two units whose heads have an e-mail.
func packetPeriod(t *testing.T, st *survey.Store) *survey.Period {
	t.Helper()
	ctx := context.Background()
	p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: "SPI-M", Name: "SPI Mail", Instrument: assets.DefaultInstrument()})
	if err != nil {
		t.Fatal(err)
	}
	units := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
		"DINKES,Dinas Kesehatan,,kadinkes@sukamaju.example,120,5000,10\n" +
		"DISDIK,Dinas Pendidikan,,kadisdik@sukamaju.example,200,8000,10\n"
	if _, err := st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(units)); err != nil {
		t.Fatal(err)
	}
	return p
}

// mailChild sends the queue of db through the SMTP server on
// INTEGRITAS_MAIL_PORT; the parent kills it during the first DATA.
func mailChild(db string) {
	ctx := context.Background()
	st, err := survey.Open(ctx, db)
	if err != nil {
		fmt.Println(err)
		return
	}
	port, _ := strconv.Atoi(os.Getenv("INTEGRITAS_MAIL_PORT"))
	cfg := config.Defaults()
	cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPTLS, cfg.SMTPFrom = "127.0.0.1", port, "none", "inspektorat@sukamaju.example"
	s, err := NewSMTP(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := NewWorker(st, s, Options{PerMinute: 6000}).Drain(ctx)
	fmt.Println("the queue was sent; the crash was not staged:", n, err)
}
