package packet

import "fmt"

// coverLetter writes the letter that opens the packet: to the unit head,
// from the inspectorate.
func (r *report) coverLetter(s *Source, f fmtr) {
	t := r.t
	u := r.unit
	d := s.Date
	date := t.T("packet.letter.date", "Day", d.Day(), "Month", t.T(fmt.Sprintf("packet.month.%d", int(d.Month()))), "Year", d.Year())
	to := t.T("packet.letter.to_head", "Head", r.frame.HeadName, "Unit", u.Name)
	if r.frame.HeadName == "" {
		to = t.T("packet.letter.to_unit", "Unit", u.Name)
	}
	index, cat := f.dash, f.dash
	if u.Index != nil && !u.Suppressed {
		index, cat = t.Num(*u.Index, 2), f.category(u.CategoryLabel)
	}
	body := t.T("packet.letter.body_index", "Period", r.period, "Index", index, "Category", cat)
	switch {
	case u.Review.Withheld: // spi-method §6: published as "ditangguhkan", with the reason
		body = t.T("review.packet.letter_withheld", "Period", r.period, "Reason", u.Review.Reason)
	case index == f.dash:
		body = t.T("packet.letter.body_no_index", "Period", r.period)
	}
	if u.Review.UnderReview && !u.Review.Withheld {
		body += " " + t.T("review.packet.letter_under_review")
	}
	r.letter = []string{
		date,
		to,
		t.T("packet.letter.subject", "Period", r.period),
		t.T("packet.letter.greeting"),
		body,
		t.T("packet.letter.body_contents"),
		t.T("packet.letter.body_followup", "Inspectorate", s.Inspectorate),
		t.T("packet.letter.body_anonymity"),
	}
	r.sign = []string{t.T("packet.letter.closing"), "", s.Inspectorate}
}
