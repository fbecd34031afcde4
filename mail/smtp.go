package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"

	"integritas/config"
)

// Message is one e-mail to send.
type Message struct {
	ID          string // left part of the Message-ID (MessageID); random when empty
	To          string
	Subject     string
	Text        string
	HTML        string
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name string
	Data []byte
}

// Sender delivers a message or says why it could not.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTP sends through an SMTP server with go-mail.
type SMTP struct {
	from string
	opts []gomail.Option
	host string
}

// ErrNotConfigured means no SMTP host is set.
var ErrNotConfigured = errors.New("mail: no SMTP server configured (--smtp-host, --smtp-from)")

// NewSMTP returns a sender for the configured server.
func NewSMTP(cfg config.Config) (*SMTP, error) {
	if cfg.SMTPHost == "" || cfg.SMTPFrom == "" {
		return nil, ErrNotConfigured
	}
	opts := []gomail.Option{gomail.WithPort(cfg.SMTPPort), gomail.WithTimeout(30 * time.Second)}
	switch cfg.SMTPTLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if cfg.SMTPUser != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(cfg.SMTPUser), gomail.WithPassword(cfg.SMTPPassword))
	}
	return &SMTP{from: cfg.SMTPFrom, opts: opts, host: cfg.SMTPHost}, nil
}

// Send dials the server and sends one message.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("mail: sender %q: %w", s.from, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: recipient: %w", err)
	}
	msg.Subject(m.Subject)
	if m.ID != "" {
		msg.SetMessageIDWithValue(m.ID + "@" + domainOf(s.from))
	} else {
		msg.SetMessageID()
	}
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data)); err != nil {
			return fmt.Errorf("mail: attach %s: %w", a.Name, err)
		}
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	return nil
}
