package mail

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"integritas/survey"
)

// MessageID is the left part of a delivery's Message-ID. It is derived from
// what the delivery's row holds from its creation, so every attempt of one
// delivery (a retry after a failure, or a send repeated because the sender
// was killed after the server took the message but before it said so)
// carries the same Message-ID, and the receiving system or the mail client
// can drop the second copy. A deliberate resend is a new delivery with a
// new Message-ID.
func MessageID(d survey.Delivery) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d|%d|%s|%s|%s", d.ID, d.PeriodID, d.Kind, strings.ToLower(d.Recipient),
		d.CreatedAt.UTC().Format(time.RFC3339)))
	return "integritas." + d.Kind + "." + strconv.FormatInt(d.ID, 10) + "." + hex.EncodeToString(sum[:12])
}

// domainOf is the domain of the sender address, for the right part of a
// Message-ID.
func domainOf(from string) string {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return "localhost"
	}
	if i := strings.LastIndexByte(a.Address, '@'); i >= 0 && i+1 < len(a.Address) {
		return a.Address[i+1:]
	}
	return "localhost"
}
