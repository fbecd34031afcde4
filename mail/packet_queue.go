package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"integritas/survey"
)

// ErrNoHeadEmail means a unit has no head e-mail to send its packet to.
var ErrNoHeadEmail = fmt.Errorf("mail: the unit has no head e-mail address: %w", survey.ErrNotFound)

// QueuePacket queues a unit's packet to its head: attached, or as a
// download link that expires after ttl. It always queues a new message
// (a deliberate resend); QueuePacketOnce is the bulk send's.
func (m *Mailer) QueuePacket(ctx context.Context, p *survey.Period, u survey.Unit, b survey.PacketBuild, attach bool, ttl time.Duration) (int64, error) {
	d, err := m.packetDelivery(ctx, p, u, b, attach, ttl)
	if err != nil {
		return 0, err
	}
	ids, err := m.St.QueueDeliveries(ctx, []survey.NewDelivery{d})
	if err != nil {
		return 0, err
	}
	m.wake()
	return ids[0], nil
}

// QueuePacketOnce queues a unit's packet to its head unless this build is
// already queued or sent to that address (survey.ErrAlreadyQueued): a
// second "send to every unit head" sends nothing twice.
func (m *Mailer) QueuePacketOnce(ctx context.Context, p *survey.Period, u survey.Unit, b survey.PacketBuild, attach bool, ttl time.Duration) (int64, error) {
	if IsEmail(u.HeadEmail) {
		// Checked first so that no download link is made for nothing; the
		// insert below checks again inside its transaction.
		done, err := m.St.PacketDelivered(ctx, b.ID, strings.TrimSpace(u.HeadEmail))
		if err != nil {
			return 0, err
		}
		if done {
			return 0, fmt.Errorf("%s: %w", u.Code, survey.ErrAlreadyQueued)
		}
	}
	d, err := m.packetDelivery(ctx, p, u, b, attach, ttl)
	if err != nil {
		return 0, err
	}
	id, err := m.St.QueuePacketOnce(ctx, d)
	if err != nil && !errors.Is(err, survey.ErrAlreadyQueued) {
		return 0, err
	}
	if err == nil {
		m.wake()
	}
	return id, err
}

// packetDelivery renders a packet's message (making its download link when
// it is not attached).
func (m *Mailer) packetDelivery(ctx context.Context, p *survey.Period, u survey.Unit, b survey.PacketBuild, attach bool, ttl time.Duration) (survey.NewDelivery, error) {
	if !IsEmail(u.HeadEmail) {
		return survey.NewDelivery{}, fmt.Errorf("%s: %w", u.Code, ErrNoHeadEmail)
	}
	n := PacketNotice{Lang: b.Lang, Period: p.Name, Unit: u.Name, Head: u.HeadName, Attached: attach}
	if !attach {
		token, exp, err := m.St.CreatePacketLink(ctx, b.ID, ttl)
		if err != nil {
			return survey.NewDelivery{}, err
		}
		n.Link, n.Expires = PacketLink(m.BaseURL, token), exp
	}
	r, err := m.C.Packet(n)
	if err != nil {
		return survey.NewDelivery{}, err
	}
	return survey.NewDelivery{PeriodID: p.ID, UnitCode: u.Code, Kind: survey.DeliveryPacket, BuildID: b.ID, Attach: attach,
		Recipient: strings.TrimSpace(u.HeadEmail), Subject: r.Subject, Text: r.Text, HTML: r.HTML}, nil
}

// PacketLink is the download address of a packet link token.
func PacketLink(base, token string) string { return strings.TrimRight(base, "/") + "/packet/" + token }
