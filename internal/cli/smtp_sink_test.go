package cli

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// smtpSink is a real SMTP server on 127.0.0.1 that keeps every message,
// for tests that follow e-mail out of the server.
type smtpSink struct {
	mu   sync.Mutex
	msgs []sunkMail
	port int
}

// sunkMail is one received message, decoded: its recipients, the text of
// every text part, and the attachments.
type sunkMail struct {
	To          []string
	Text        string
	Attachments map[string][]byte
}

func newSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	s := &smtpSink{}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = 50 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Messages returns what was received so far.
func (s *smtpSink) Messages() []sunkMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sunkMail(nil), s.msgs...)
}

// NewSession implements smtp.Backend.
func (s *smtpSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }

type sinkSession struct {
	sink *smtpSink
	to   []string
}

func (ss *sinkSession) Reset()                               { ss.to = nil }
func (ss *sinkSession) Logout() error                        { return nil }
func (ss *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}
func (ss *sinkSession) AuthPlain(string, string) error { return nil }

func (ss *sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := sunkMail{To: ss.to, Attachments: map[string][]byte{}}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	var text strings.Builder
	decodePart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body, &text, m.Attachments)
	m.Text = text.String()
	ss.sink.mu.Lock()
	ss.sink.msgs = append(ss.sink.msgs, m)
	ss.sink.mu.Unlock()
	return nil
}

// decodePart walks a MIME part: text parts are decoded into text, other
// leaves are kept as attachments by file name.
func decodePart(ctype, encoding, disposition string, body io.Reader, text *strings.Builder, att map[string][]byte) {
	mt, params, _ := mime.ParseMediaType(ctype)
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			decodePart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p, text, att)
		}
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // line breaks are skipped
	}
	b, _ := io.ReadAll(body)
	if _, dp, err := mime.ParseMediaType(disposition); err == nil && dp["filename"] != "" {
		att[dp["filename"]] = b
		return
	}
	if strings.HasPrefix(mt, "text/") || mt == "" {
		text.Write(b)
		text.WriteByte('\n')
		return
	}
	att[mt+"#"+strconv.Itoa(len(att))] = b
}
