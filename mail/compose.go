package mail

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"time"

	"integritas/locale"
)

// Composer renders messages from the locale files into plain text and HTML.
type Composer struct {
	bundle       *locale.Bundle
	layout       *template.Template
	inspectorate string
}

// NewComposer parses the mail layout of assets (templates/mail/layout.html).
func NewComposer(assets fs.FS, bundle *locale.Bundle, inspectorate string) (*Composer, error) {
	t, err := template.ParseFS(assets, "templates/mail/layout.html")
	if err != nil {
		return nil, fmt.Errorf("mail: layout: %w", err)
	}
	return &Composer{bundle: bundle, layout: t, inspectorate: inspectorate}, nil
}

// Rendered is a message ready to queue.
type Rendered struct {
	Subject, Text, HTML string
}

// page is the layout's data.
type page struct {
	Lang, Subject       string
	Paragraphs, Closing []string
	Link                template.URL
	LinkText, LinkNote  string
	Footer              string
}

func (c *Composer) render(tr locale.Translator, subject string, paras []string, link, linkText string) (Rendered, error) {
	closing := []string{tr.T("mail.closing"), c.inspectorate}
	p := page{Lang: tr.Lang(), Subject: subject, Paragraphs: paras, Closing: closing, Link: template.URL(link), LinkText: linkText,
		LinkNote: tr.T("mail.link_note"), Footer: tr.T("mail.footer", "Inspectorate", c.inspectorate)}
	var html bytes.Buffer
	if err := c.layout.Execute(&html, p); err != nil {
		return Rendered{}, fmt.Errorf("mail: render: %w", err)
	}
	var text strings.Builder
	for _, s := range paras {
		text.WriteString(s + "\n\n")
	}
	if link != "" {
		text.WriteString(link + "\n\n")
	}
	text.WriteString(strings.Join(closing, "\n") + "\n\n-- \n" + p.Footer + "\n")
	return Rendered{Subject: subject, Text: text.String(), HTML: html.String()}, nil
}

// Invite is what an invitation or reminder says.
type Invite struct {
	Lang     string
	Period   string // the period's name
	Unit     string // the unit's name
	Type     string // respondent type code
	Link     string // the personal link
	ClosesOn string // YYYY-MM-DD or ""
}

// Invitation renders an invitation to answer the survey.
func (c *Composer) Invitation(d Invite) (Rendered, error) { return c.invite("mail.invitation", d) }

// Reminder renders a reminder to an invitation still unused.
func (c *Composer) Reminder(d Invite) (Rendered, error) { return c.invite("mail.reminder", d) }

func (c *Composer) invite(kind string, d Invite) (Rendered, error) {
	tr := c.bundle.For(d.Lang)
	paras := []string{
		tr.T("mail.greeting"),
		tr.T(kind+".intro", "Period", d.Period, "Unit", d.Unit, "Inspectorate", c.inspectorate),
		tr.T("mail.invitation.type."+d.Type, "Unit", d.Unit),
		tr.T("mail.invitation.anonymity"),
	}
	if d.ClosesOn != "" {
		paras = append(paras, tr.T("mail.invitation.closes", "Date", d.ClosesOn))
	}
	paras = append(paras, tr.T("mail.invitation.personal"))
	return c.render(tr, tr.T(kind+".subject", "Period", d.Period), paras, d.Link, tr.T("mail.invitation.button"))
}

// PacketNotice is what a packet delivery says.
type PacketNotice struct {
	Lang     string
	Period   string
	Unit     string
	Head     string
	Link     string    // download link, "" when attached
	Expires  time.Time // of the link
	Attached bool
}

// Packet renders the message that carries a unit's result packet.
func (c *Composer) Packet(d PacketNotice) (Rendered, error) {
	tr := c.bundle.For(d.Lang)
	greet := tr.T("mail.packet.greeting_head", "Head", d.Head)
	if d.Head == "" {
		greet = tr.T("mail.packet.greeting_unit", "Unit", d.Unit)
	}
	paras := []string{greet, tr.T("mail.packet.intro", "Period", d.Period, "Unit", d.Unit, "Inspectorate", c.inspectorate)}
	if d.Attached {
		paras = append(paras, tr.T("mail.packet.attached"))
	} else {
		paras = append(paras, tr.T("mail.packet.link", "Expires", d.Expires.UTC().Format("2006-01-02 15:04")+" UTC"))
	}
	paras = append(paras, tr.T("mail.packet.followup"))
	if d.Link != "" { // the head returns the plan through the same link
		paras = append(paras, tr.T("mail.packet.return", "Link", d.Link+"/return"))
	}
	return c.render(tr, tr.T("mail.packet.subject", "Period", d.Period, "Unit", d.Unit), paras, d.Link, tr.T("mail.packet.button"))
}
