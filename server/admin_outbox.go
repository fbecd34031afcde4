package server

import (
	"net/http"
	"regexp"

	"github.com/gin-gonic/gin"
)

// outboxPage lists the messages the local mail sink kept.
type outboxPage struct {
	Enabled  bool
	Messages []outboxRow
}

type outboxRow struct {
	At, To, Subject, Text string
	Links                 []string
	Attachments           []string
}

var linkRe = regexp.MustCompile(`https?://[^\s<>"]+`)

// adminOutbox shows the local mail sink (serve --mail-sink, demo): every
// message the server would have sent, newest first, with its links.
func (s *Server) adminOutbox(c *gin.Context) {
	d := outboxPage{Enabled: s.outbox != nil}
	if s.outbox != nil {
		org := s.org(c.Request.Context())
		for _, m := range s.outbox.Messages() {
			row := outboxRow{At: org.FormatTime(m.At), To: m.To, Subject: m.Subject, Text: m.Text, Links: linkRe.FindAllString(m.Text, -1)}
			for _, a := range m.Attachments {
				row.Attachments = append(row.Attachments, a.Name)
			}
			d.Messages = append(d.Messages, row)
		}
	}
	s.render(c, http.StatusOK, "admin_outbox", d)
}
