package mail

import (
	"context"
	"net/mail"
	"strings"

	"integritas/survey"
)

// Mailer renders messages and queues them for the worker.
type Mailer struct {
	St      *survey.Store
	C       *Composer
	BaseURL string  // public URL of the site, for links
	W       *Worker // woken after queueing, when set
}

// Invitee is an invitation with its raw token, which exists only between
// its creation (or re-issue) and the queueing of its message.
type Invitee struct {
	InvitationID int64
	UnitCode     string
	UnitName     string
	Type         string
	Contact      string
	Token        string
}

// IsEmail reports whether a roster contact is an e-mail address.
func IsEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == strings.TrimSpace(s) && strings.Contains(s, "@")
}

// InviteLink is the personal survey link of a token.
func InviteLink(base, token string) string { return strings.TrimRight(base, "/") + "/s/" + token }

// QueueInvites renders one message per invitee with an e-mail contact
// (kind survey.DeliveryInvitation or survey.DeliveryReminder) and queues
// them; invitees without one are counted as skipped.
func (m *Mailer) QueueInvites(ctx context.Context, p *survey.Period, kind, lang string, invs []Invitee) (queued, skipped int, err error) {
	var ds []survey.NewDelivery
	for _, in := range invs {
		if !IsEmail(in.Contact) {
			skipped++
			continue
		}
		d := Invite{Lang: lang, Period: p.Name, Unit: in.UnitName, Type: in.Type, Link: InviteLink(m.BaseURL, in.Token), ClosesOn: p.ClosesOn}
		var r Rendered
		if kind == survey.DeliveryReminder {
			r, err = m.C.Reminder(d)
		} else {
			r, err = m.C.Invitation(d)
		}
		if err != nil {
			return 0, skipped, err
		}
		ds = append(ds, survey.NewDelivery{PeriodID: p.ID, UnitCode: in.UnitCode, Kind: kind, InvitationID: in.InvitationID,
			Recipient: strings.TrimSpace(in.Contact), Subject: r.Subject, Text: r.Text, HTML: r.HTML})
	}
	if len(ds) == 0 {
		return 0, skipped, nil
	}
	if _, err := m.St.QueueDeliveries(ctx, ds); err != nil {
		return 0, skipped, err
	}
	m.wake()
	return len(ds), skipped, nil
}

func (m *Mailer) wake() {
	if m.W != nil {
		m.W.Wake()
	}
}
