package server

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"integritas/mail"
	"integritas/survey"
)

// whatsappPage lists the unused invitations with a phone number: each can
// be opened in WhatsApp once (a fresh link is minted then), bad numbers are
// listed as problems by row.
type whatsappPage struct {
	inspPage
	Rows     []whatsappRow
	Valid    int
	Unsent   int
	Problems int
	Zone     string
}

type whatsappRow struct {
	N       int
	ID      int64
	Unit    string
	Type    string
	Name    string
	Phone   string
	E164    string // "+62…" when the number is usable
	Problem string // message id when it is not
	SentAt  string
}

func (s *Server) whatsappRows(c *gin.Context, p *survey.Period) ([]whatsappRow, []survey.WhatsAppInvitation, error) {
	invs, err := s.store.WhatsAppInvitations(c.Request.Context(), p.ID, "")
	if err != nil {
		return nil, nil, err
	}
	org := s.org(c.Request.Context())
	rows := make([]whatsappRow, len(invs))
	for i, in := range invs {
		r := whatsappRow{N: i + 1, ID: in.ID, Unit: in.UnitCode, Type: in.Type, Name: in.Name, Phone: in.Phone, SentAt: org.FormatTime(in.SentAt)}
		if d, err := survey.NormalizePhone(in.Phone); err != nil {
			var pe *survey.PhoneError
			if errors.As(err, &pe) {
				r.Problem = pe.Key
			}
		} else {
			r.E164 = "+" + d
		}
		rows[i] = r
	}
	return rows, invs, nil
}

// inspWhatsApp lists the WhatsApp invitations of a period.
func (s *Server) inspWhatsApp(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.renderWhatsApp(c, http.StatusOK, p, formPage{})
}

func (s *Server) renderWhatsApp(c *gin.Context, status int, p *survey.Period, f formPage) {
	rows, _, err := s.whatsappRows(c, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := whatsappPage{inspPage: s.inspBase(p, "whatsapp", f), Rows: rows, Zone: s.org(c.Request.Context()).ZoneLabel()}
	for _, r := range rows {
		switch {
		case r.Problem != "":
			d.Problems++
		case r.SentAt == "":
			d.Valid++
			d.Unsent++
		default:
			d.Valid++
		}
	}
	s.render(c, status, "insp_whatsapp", d)
}

// whatsappText builds one person's prefilled message and wa.me link.
func (s *Server) whatsappLink(c *gin.Context, p *survey.Period, in survey.WhatsAppInvitation, lang string, reminder bool) (string, error) {
	digits, err := survey.NormalizePhone(in.Phone)
	if err != nil {
		return "", err
	}
	org := s.org(c.Request.Context())
	text := mail.WhatsAppText(s.bundle.For(lang), mail.WhatsAppInvite{Name: in.Name, Inspectorate: org.Inspectorate, Period: p.Name,
		Unit: in.UnitName, Link: mail.InviteLink(org.BaseURL, in.Token), ClosesOn: p.ClosesOn, Reminder: reminder})
	return mail.WhatsAppLink(digits, text), nil
}

// openPage shows one freshly minted WhatsApp link, once.
type waOpenPage struct {
	inspPage
	Row  whatsappRow
	Link string
}

// inspWhatsAppOpen mints a fresh link for one invitation, marks it sent by
// WhatsApp and shows the wa.me link once (the token is not stored; opening
// again mints another and the earlier link stops working).
func (s *Server) inspWhatsAppOpen(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(c, errNotFound)
		return
	}
	lang := s.waLang(c)
	invs, err := s.store.WhatsAppInvitations(c.Request.Context(), p.ID, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	var found *survey.WhatsAppInvitation
	for i := range invs {
		if invs[i].ID == id {
			found = &invs[i]
		}
	}
	if found == nil {
		s.fail(c, errNotFound)
		return
	}
	if _, err := survey.NormalizePhone(found.Phone); err != nil {
		s.renderWhatsApp(c, http.StatusBadRequest, p, formPage{Error: "cycle.wa.bad_phone"})
		return
	}
	issued, err := s.store.ReissueForWhatsApp(c.Request.Context(), p.ID, []int64{id}, currentUser(c).Email)
	switch {
	case errors.Is(err, survey.ErrClosed):
		s.renderWhatsApp(c, http.StatusConflict, p, formPage{Error: "insp.period_closed"})
		return
	case errors.Is(err, survey.ErrNotFound):
		s.fail(c, errNotFound)
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	link, err := s.whatsappLink(c, p, issued[0], lang, c.PostForm("reminder") == "1")
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "invitation.whatsapp", "period:"+p.Code+"/unit:"+issued[0].UnitCode, "invitation "+strconv.FormatInt(id, 10))
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	s.render(c, http.StatusOK, "insp_whatsapp_open", waOpenPage{inspPage: s.inspBase(p, "whatsapp", formPage{}),
		Row: whatsappRow{Unit: issued[0].UnitCode, Name: issued[0].Name, Phone: issued[0].Phone}, Link: link})
}

func (s *Server) waLang(c *gin.Context) string {
	if l := c.PostForm("lang"); l == "id" || l == "en" {
		return l
	}
	return s.org(c.Request.Context()).Lang
}

// inspWhatsAppCSV mints fresh links for the listed invitations with a
// usable number (only those not yet sent, unless all=1), marks them sent,
// and downloads unit,type,name,phone,e164,whatsapp_link,problem; bad
// numbers are rows with their problem and no link.
func (s *Server) inspWhatsAppCSV(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	if c.PostForm("confirm") != "1" {
		s.renderWhatsApp(c, http.StatusBadRequest, p, formPage{Error: "cycle.confirm.required"})
		return
	}
	rows, invs, err := s.whatsappRows(c, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	all := c.PostForm("all") == "1"
	var ids []int64
	for _, r := range rows {
		if r.Problem == "" && (all || r.SentAt == "") {
			ids = append(ids, r.ID)
		}
	}
	fresh := map[int64]survey.WhatsAppInvitation{}
	if len(ids) > 0 {
		issued, err := s.store.ReissueForWhatsApp(c.Request.Context(), p.ID, ids, currentUser(c).Email)
		if errors.Is(err, survey.ErrClosed) {
			s.renderWhatsApp(c, http.StatusConflict, p, formPage{Error: "insp.period_closed"})
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, in := range issued {
			fresh[in.ID] = in
		}
	}
	tr, lang := s.tr(c), s.waLang(c)
	s.audit(c, "invitation.whatsapp_export", "period:"+p.Code, fmt.Sprintf("%d fresh links", len(fresh)))
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="whatsapp-`+p.Code+`.csv"`)
	c.Header("Cache-Control", "no-store")
	w := csv.NewWriter(c.Writer)
	w.Write([]string{"row", "unit", "type", "name", "phone", "e164", "whatsapp_link", "problem"})
	for i, r := range rows {
		link, problem := "", ""
		if r.Problem != "" {
			problem = tr.T(r.Problem)
		} else if in, ok := fresh[r.ID]; ok {
			in.Name, in.UnitName = invs[i].Name, invs[i].UnitName
			link, _ = s.whatsappLink(c, p, in, lang, c.PostForm("reminder") == "1")
		} else {
			problem = tr.T("cycle.wa.already_sent")
		}
		w.Write([]string{strconv.Itoa(r.N), r.Unit, r.Type, csvCell(r.Name), csvCell(r.Phone), r.E164, link, problem})
	}
	w.Flush()
}

// csvCell keeps a spreadsheet from reading a cell as a formula.
func csvCell(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '@' || v[0] == '\t' || v[0] == '\r' || (v[0] == '-' || v[0] == '+') && !phoneish(v)) {
		return "'" + v
	}
	return v
}

func phoneish(v string) bool {
	_, err := survey.NormalizePhone(v)
	return err == nil
}
