package charts

import (
	"fmt"
	"strings"
)

// Text is the text every chart prints, in the reader's language.
type Text struct {
	Title      string            // headline; required
	Period     string            // word before the period's name, e.g. "Periode"
	Suppressed string            // note on figures hidden for small groups; "{k}" becomes the minimum group size; required
	Categories map[string]string // category band slug → name; a missing slug prints the slug
	// Counted says which n a chart prints, e.g. "n = responden yang dihitung
	// dalam skor (tanpa respons bertanda atau tidak lengkap)"; printed as
	// the last note of every chart that shows n, when set.
	Counted string
}

// check reports the first required text that is empty.
func check(chart string, named ...string) error {
	for i := 0; i+1 < len(named); i += 2 {
		if strings.TrimSpace(named[i+1]) == "" {
			return fmt.Errorf("charts: %s: text %s is empty", chart, named[i])
		}
	}
	return nil
}

// base checks the common text.
func (t Text) check(chart string) error {
	return check(chart, "Title", t.Title, "Suppressed", t.Suppressed)
}

// periodLine is "Periode: SPI 2026", or the bare name without a label.
func (t Text) periodLine(period string) string { return periodLine(t.Period, period) }

// periodLine joins the period's label and name.
func periodLine(label, period string) string {
	if label == "" || period == "" {
		return period
	}
	return label + ": " + period
}

// suppressedNote fills the minimum group size into the note.
func (t Text) suppressedNote(k int, f Format) string {
	return "— " + strings.ReplaceAll(t.Suppressed, "{k}", f.count(k))
}

// category names a band slug.
func (t Text) category(slug string) string {
	if s, ok := t.Categories[slug]; ok && s != "" {
		return s
	}
	return slug
}

// join joins the non-empty parts of a subtitle.
func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// nLabel is "n = 1.234".
func nLabel(f Format, n int) string { return "n = " + f.count(n) }
