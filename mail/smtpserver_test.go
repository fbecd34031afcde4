package mail

import (
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// inbox is a real SMTP server on 127.0.0.1 that keeps what it receives. It
// refuses the first RCPT of each address in failOnce with a temporary error.
type inbox struct {
	mu       sync.Mutex
	msgs     map[string][][]byte // by recipient
	failOnce map[string]bool
	refused  int
	addr     string
	onData   func() // called once a message is read and kept, before the server answers 250
}

// setOnData sets (or, with nil, clears) the hook run after each DATA.
func (ib *inbox) setOnData(f func()) {
	ib.mu.Lock()
	defer ib.mu.Unlock()
	ib.onData = f
}

func newInbox(t *testing.T, failOnce ...string) *inbox {
	t.Helper()
	ib := &inbox{msgs: map[string][][]byte{}, failOnce: map[string]bool{}}
	for _, a := range failOnce {
		ib.failOnce[strings.ToLower(a)] = true
	}
	s := smtp.NewServer(ib)
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.MaxMessageBytes = 50 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ib.addr = ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ib
}

func (ib *inbox) port() int {
	_, p, _ := net.SplitHostPort(ib.addr)
	n := 0
	for _, c := range p {
		n = n*10 + int(c-'0')
	}
	return n
}

func (ib *inbox) received(to string) [][]byte {
	ib.mu.Lock()
	defer ib.mu.Unlock()
	return ib.msgs[strings.ToLower(to)]
}

func (ib *inbox) total() int {
	ib.mu.Lock()
	defer ib.mu.Unlock()
	n := 0
	for _, m := range ib.msgs {
		n += len(m)
	}
	return n
}

// NewSession implements smtp.Backend.
func (ib *inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{ib: ib}, nil }

type session struct {
	ib *inbox
	to []string
}

func (s *session) Reset()        { s.to = nil }
func (s *session) Logout() error { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error {
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	to = strings.ToLower(to)
	s.ib.mu.Lock()
	defer s.ib.mu.Unlock()
	if s.ib.failOnce[to] {
		delete(s.ib.failOnce, to)
		s.ib.refused++
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "mailbox busy, try again later"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(s.to) == 0 {
		return errors.New("no recipient")
	}
	s.ib.mu.Lock()
	for _, to := range s.to {
		s.ib.msgs[to] = append(s.ib.msgs[to], b)
	}
	hook := s.ib.onData
	s.ib.mu.Unlock()
	if hook != nil {
		hook()
	}
	return nil
}
