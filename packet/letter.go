package packet

import (
	"fmt"
	"strings"
	"time"

	"integritas/locale"
	"integritas/survey"
)

// LetterFields are the parts of the packet's cover letter in the form of an
// Indonesian official letter (tata naskah dinas): the letterhead (kop
// surat), nomor, sifat, lampiran, perihal, place and date, the addressee,
// and the signatory with jabatan and NIP. They come from the stored
// organisation settings alone, so the server and the command line, which
// both hand those settings to NewSource, print the same letter.
type LetterFields struct {
	Letterhead []string // kop surat, top to bottom: the government, the inspectorate
	Address    []string // the kop's address lines
	Number     string   // nomor, from the settings' pattern
	Nature     string   // sifat
	Enclosure  string   // lampiran
	Subject    string   // perihal
	PlaceDate  string   // tempat dan tanggal, e.g. "Sukamaju, 22 November 2026"
	To         []string // the addressee block: "Yth. …", "di", "Tempat"
	Title      string   // jabatan of the signatory
	Signatory  string   // the signatory's name
	Rank       string   // pangkat/golongan, when set
	NIP        string   // "NIP 19700101 199003 1 001", when set
	// Labels name the fields in the letter's language (Nomor, Sifat, …).
	Labels [4]string
}

// Addressee is the unit a letter goes to and its place among the period's
// letters ({seq} of the number pattern).
type Addressee struct {
	Code, Name string
	Seq        int // 1-based
}

// NewLetterFields builds the letter's fields from the organisation settings
// in tr's language, dated date in the organisation's time zone.
func NewLetterFields(org survey.OrgSettings, tr locale.Translator, period string, to Addressee, date time.Time) LetterFields {
	d := date.In(org.Location())
	f := LetterFields{
		Number:    letterNumber(org.LetterNumber, to, d),
		Nature:    org.LetterNature,
		Enclosure: tr.T("packet.letter.enclosure"),
		Subject:   tr.T("packet.letter.subject", "Period", period),
		Title:     org.SignatoryTitle,
		Signatory: org.Signatory,
		Rank:      org.SignatoryRank,
		Labels: [4]string{tr.T("packet.letter.label.number"), tr.T("packet.letter.label.nature"),
			tr.T("packet.letter.label.enclosure"), tr.T("packet.letter.label.subject")},
	}
	for _, l := range []string{org.Letterhead, org.Inspectorate} {
		if l != "" {
			f.Letterhead = append(f.Letterhead, strings.ToUpper(l))
		}
	}
	for _, l := range strings.Split(org.Address, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			f.Address = append(f.Address, l)
		}
	}
	if f.Number == "" {
		f.Number = "—"
	}
	if f.Nature == "" {
		f.Nature = tr.T("packet.letter.nature_default")
	}
	if f.Title == "" {
		f.Title = tr.T("packet.letter.title_default", "Inspectorate", org.Inspectorate)
	}
	if org.SignatoryNIP != "" {
		f.NIP = "NIP " + org.SignatoryNIP
	}
	f.PlaceDate = tr.T("packet.letter.date", "Day", d.Day(), "Month", tr.T(fmt.Sprintf("packet.month.%d", int(d.Month()))), "Year", d.Year())
	if org.LetterPlace != "" {
		f.PlaceDate = org.LetterPlace + ", " + f.PlaceDate
	}
	// An official letter goes to the office (Yth. Kepala …), not the person.
	f.To = []string{tr.T("packet.letter.to"), tr.T("packet.letter.to_unit", "Unit", to.Name), tr.T("packet.letter.to_at"), tr.T("packet.letter.to_place")}
	return f
}

// letterNumber fills the settings' number pattern: {seq} the letter's
// running number (three digits), {unit} the unit code, {month} the month in
// Roman numerals as Indonesian letter numbers write it, {year} the year.
func letterNumber(pattern string, to Addressee, d time.Time) string {
	return strings.NewReplacer(
		"{seq}", fmt.Sprintf("%03d", to.Seq),
		"{unit}", to.Code,
		"{month}", romanMonths[d.Month()-1],
		"{year}", fmt.Sprint(d.Year()),
	).Replace(pattern)
}

var romanMonths = [12]string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

// LetterFields returns the cover letter's fields of a unit's packet in a
// language, exactly as its PDF prints them.
func (s *Source) LetterFields(unit, lang string) (LetterFields, error) {
	u, _, err := s.unit(unit)
	if err != nil {
		return LetterFields{}, err
	}
	return s.letterFields(u.Code, u.Name, s.Bundle.For(lang)), nil
}

func (s *Source) letterFields(code, name string, tr locale.Translator) LetterFields {
	return NewLetterFields(s.Org, tr, s.Current.Period.Name, Addressee{Code: code, Name: name, Seq: s.seq[code]}, s.Date)
}

// coverLetter writes the letter that opens the packet: to the unit head,
// from the inspectorate.
func (r *report) coverLetter(s *Source, f fmtr) {
	t := r.t
	u := r.unit
	r.fields = s.letterFields(u.Code, u.Name, t)
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
		t.T("packet.letter.greeting"),
		body,
		t.T("packet.letter.body_contents"),
		t.T("packet.letter.body_followup", "Inspectorate", s.Org.Inspectorate),
		t.T("packet.letter.body_anonymity"),
	}
	if s.Provisional() {
		p := s.Current.Period
		closes := p.ClosesOn
		if closes == "" {
			closes = f.dash
		}
		r.provisional = t.T("packet.provisional.mark")
		r.letter = append(r.letter, t.T("packet.provisional.letter", "Period", r.period, "Closes", closes))
	}
}

// Provisional reports whether the period is still open (or not yet open):
// its packets are then marked SEMENTARA, and final only once it is closed.
func (s *Source) Provisional() bool {
	return s.Current.Period.Status != survey.StatusClosed
}
