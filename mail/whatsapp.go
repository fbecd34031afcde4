package mail

import (
	"net/url"
	"strings"

	"integritas/locale"
)

// WhatsAppLink is the click-to-chat address that opens WhatsApp with the
// text prefilled for the number (E.164 digits without "+", as
// survey.NormalizePhone returns). wa.me wants spaces as %20, not "+".
func WhatsAppLink(phoneDigits, text string) string {
	return "https://wa.me/" + phoneDigits + "?text=" + strings.ReplaceAll(url.QueryEscape(text), "+", "%20")
}

// WhatsAppInvite is what a WhatsApp invitation says.
type WhatsAppInvite struct {
	Name, Inspectorate, Period, Unit, Link, ClosesOn string
	Reminder                                         bool
}

// WhatsAppText is the prefilled message (cycle.wa.* in the locale files):
// who invites, to what, the personal link, and the closing date.
func WhatsAppText(tr locale.Translator, d WhatsAppInvite) string {
	key := "cycle.wa.invitation"
	if d.Reminder {
		key = "cycle.wa.reminder"
	}
	greet := tr.T("cycle.wa.greeting")
	if d.Name != "" {
		greet = tr.T("cycle.wa.greeting_name", "Name", d.Name)
	}
	parts := []string{greet, tr.T(key, "Inspectorate", d.Inspectorate, "Period", d.Period, "Unit", d.Unit), d.Link}
	if d.ClosesOn != "" {
		parts = append(parts, tr.T("cycle.wa.closes", "Date", d.ClosesOn))
	}
	parts = append(parts, tr.T("cycle.wa.anonymous"))
	return strings.Join(parts, "\n")
}
