package packet

import (
	"strings"

	"integritas/analysis"
	"integritas/locale"
	"integritas/survey"
)

// cell is one table cell: the text as printed and, for figures, the value
// the workbook stores as a number. A suppressed figure is text ("—") only.
type cell struct {
	text   string
	num    *float64
	digits int
}

func txt(s string) cell { return cell{text: s} }

// table is one of the packet's tables, rendered alike in the PDF and the XLSX.
type table struct {
	sheet  string    // workbook sheet name
	title  string    // heading
	intro  string    // paragraph under the heading
	notes  []string  // lines under the table
	head   []string  // column headers
	widths []float64 // relative column widths in the PDF
	rows   [][]cell
	empty  string // printed instead of the table when it has no rows
}

// report is a unit's packet content in one language.
type report struct {
	t      locale.Translator
	lang   string
	title  string
	unit   *analysis.UnitResult
	frame  survey.Unit
	period string
	fields LetterFields // the official letter's heading and signature
	letter []string     // cover letter paragraphs
	brief  brief        // the one-page summary after the letter
	// provisional is the mark on every page of a packet built before the
	// period closed ("" once it is final).
	provisional string
	tables      []table
	followUp    table // the rencana aksi table to fill in (PDF form)
	planXLSX    table // the same with codes and recommendations, to upload back
	charts      []chartFile
}

// build assembles the unit's report from the prepared source.
func (s *Source) build(code string, tr locale.Translator) (*report, error) {
	u, frame, err := s.unit(code)
	if err != nil {
		return nil, err
	}
	r := &report{t: tr, lang: tr.Lang(), unit: u, frame: frame, period: s.Current.Period.Name}
	r.title = tr.T("packet.title", "Period", r.period)
	f := s.fmt(tr)
	r.coverLetter(s, f)
	r.brief = s.brief(r, f)
	r.tables = []table{
		s.summary(u, f),
		s.components(u, f),
		s.elements(u, f),
		s.risks(u, f),
		s.hotSpots(u, f),
		s.prevalence(u, f),
		s.responseRate(u, f),
		s.trend(code, f),
		s.correction(u, f),
		s.method(u, f),
		s.lastFollowUp(code, f),
		s.crossRef(code, f),
	}
	r.followUp, r.planXLSX = s.followUpForm(u, f)
	return r, nil
}

// fmtr formats figures in the report's language.
type fmtr struct {
	t    locale.Translator
	dash string
	inst *survey.Instrument
	lang string
}

func (s *Source) fmt(tr locale.Translator) fmtr {
	return fmtr{t: tr, dash: "—", inst: s.Current.Period.Instrument, lang: tr.Lang()}
}

// score prints a score with two decimals, or the dash when absent.
func (f fmtr) score(v *float64) cell {
	if v == nil {
		return txt(f.dash)
	}
	x := *v
	return cell{text: f.t.Num(x, 2), num: &x, digits: 2}
}

// count prints a whole number, or the dash.
func (f fmtr) count(n *int) cell {
	if n == nil {
		return txt(f.dash)
	}
	x := float64(*n)
	return cell{text: f.t.Num(x, 0), num: &x}
}

// share prints a 0–1 share as a percentage with one decimal.
func (f fmtr) share(v *float64) cell {
	if v == nil {
		return txt(f.dash)
	}
	x := 100 * *v
	return cell{text: f.t.Num(x, 1) + " %", num: &x, digits: 1}
}

// ci prints a 95 % interval "a – b".
func (f fmtr) ci(ci *[2]float64, pct bool) cell {
	if ci == nil {
		return txt(f.dash)
	}
	if pct {
		return txt(f.t.Num(100*ci[0], 1) + " – " + f.t.Num(100*ci[1], 1) + " %")
	}
	return txt(f.t.Num(ci[0], 2) + " – " + f.t.Num(ci[1], 2))
}

func (f fmtr) typeName(t string) string { return f.t.T("packet.type." + t) }

func (f fmtr) element(code string) string {
	if e, ok := f.inst.Element(code); ok {
		return e.Name.In(f.lang)
	}
	return code
}

func (f fmtr) recommendation(code string) string {
	if e, ok := f.inst.Element(code); ok {
		return e.Recommendation.In(f.lang)
	}
	return ""
}

func (f fmtr) item(code string) string {
	if it, _, ok := f.inst.Item(code); ok {
		return it.Text.In(f.lang)
	}
	return code
}

func (f fmtr) yesNo(b bool) string {
	if b {
		return f.t.T("packet.yes")
	}
	return f.t.T("packet.no")
}

// category names the unit's category band in the report's language.
func (f fmtr) category(l *analysis.Label) string {
	if l == nil {
		return f.dash
	}
	if f.lang == "en" && l.EN != "" {
		return l.EN
	}
	return l.ID
}

func (f fmtr) types(ts []string) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = f.typeName(t)
	}
	return strings.Join(names, ", ")
}

// suppressedNote explains the dash.
func (f fmtr) suppressedNote(k int) string {
	return f.t.T("packet.suppressed_note", "K", k)
}
