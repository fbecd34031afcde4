package mail

import (
	"context"
	"fmt"

	"integritas/survey"
)

// SampleInvites says what inviting a drawn sample did.
type SampleInvites struct {
	Created int // invitations created
	Queued  int // e-mails queued
	NoEmail int // drawn people without an e-mail: their links come from `invitations export`
}

// InviteSample creates one invitation per drawn person (contact: the
// roster's e-mail, else phone), links them to the sample, and queues an
// e-mail to everyone with an e-mail address. The tokens made here are
// dropped: each message's link is minted when it is sent.
func (m *Mailer) InviteSample(ctx context.Context, p *survey.Period, samples []survey.Sample, lang string) (SampleInvites, error) {
	var out SampleInvites
	var want []survey.NewInvitation
	for _, smp := range samples {
		for _, mem := range smp.Members {
			contact := mem.Email
			if contact == "" {
				contact = mem.Phone
			}
			want = append(want, survey.NewInvitation{UnitCode: smp.UnitCode, Type: smp.Type, RosterID: mem.RosterID, Contact: contact})
		}
	}
	if len(want) == 0 {
		return out, nil
	}
	issued, err := m.St.CreateInvitations(ctx, p.ID, want)
	if err != nil {
		return out, err
	}
	out.Created = len(issued)
	// The invitations' ids, in the order asked, through the sample members.
	var ids []int64
	drawn := map[int64]bool{}
	for _, smp := range samples {
		if err := m.St.LinkSampleInvitations(ctx, smp.ID); err != nil {
			return out, err
		}
		drawn[smp.ID] = true
	}
	recorded, err := m.St.Samples(ctx, p.ID, true)
	if err != nil {
		return out, err
	}
	byID := map[int64]survey.Sample{}
	for _, r := range recorded {
		if drawn[r.ID] {
			byID[r.ID] = r
		}
	}
	for _, smp := range samples {
		for _, mem := range byID[smp.ID].Members {
			ids = append(ids, mem.InvitationID)
		}
	}
	if len(ids) != len(issued) {
		return out, fmt.Errorf("mail: %d invitations for %d sample members", len(issued), len(ids))
	}
	names, err := unitNames(ctx, m.St, p.ID)
	if err != nil {
		return out, err
	}
	invs := make([]Invitee, len(issued))
	for i, in := range issued {
		invs[i] = Invitee{InvitationID: ids[i], UnitCode: in.UnitCode, UnitName: names[in.UnitCode], Type: in.Type, Contact: in.Contact}
	}
	out.Queued, out.NoEmail, err = m.QueueInvites(ctx, p, survey.DeliveryInvitation, lang, invs)
	return out, err
}

// Remind queues a reminder to every unused invitation with an e-mail (of
// one unit when unitCode is set), each to get a fresh link when sent; used
// invitations get nothing, so a reminder says nothing about who answered.
func (m *Mailer) Remind(ctx context.Context, p *survey.Period, unitCode, lang string) (int, error) {
	return m.reissue(ctx, p, unitCode, 0, survey.DeliveryReminder, lang)
}

// Resend queues an invitation or reminder again with a fresh link, when the
// invitation is still unused; it reports 0 for a used one.
func (m *Mailer) Resend(ctx context.Context, p *survey.Period, d survey.Delivery, lang string) (int, error) {
	if d.InvitationID == 0 {
		return 0, fmt.Errorf("mail: delivery %d has no invitation: %w", d.ID, survey.ErrNotFound)
	}
	return m.reissue(ctx, p, "", d.InvitationID, d.Kind, lang)
}

func (m *Mailer) reissue(ctx context.Context, p *survey.Period, unitCode string, id int64, kind, lang string) (int, error) {
	targets, err := m.St.MailTargets(ctx, p.ID, unitCode, id)
	if err != nil {
		return 0, err
	}
	invs := make([]Invitee, len(targets))
	for i, f := range targets {
		invs[i] = Invitee{InvitationID: f.ID, UnitCode: f.UnitCode, UnitName: f.UnitName, Type: f.Type, Contact: f.Contact}
	}
	n, _, err := m.QueueInvites(ctx, p, kind, lang, invs)
	return n, err
}

func unitNames(ctx context.Context, st *survey.Store, periodID int64) (map[string]string, error) {
	units, err := st.Units(ctx, periodID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(units))
	for _, u := range units {
		out[u.Code] = u.Name
	}
	return out, nil
}
