package export

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"integritas/survey"
)

// spssChunk is the longest piece of a quoted string on one syntax line;
// longer strings continue with "+" on the next line, which SPSS and PSPP
// join, so no line grows past what old SPSS versions read.
const spssChunk = 60

// spssLabelMax is SPSS's limit on a label, in bytes.
const spssLabelMax = 250

// writeSPS writes SPSS syntax that reads answers.csv (UTF-8, comma, double
// quotes, header on line 1) with every variable declared, its label, the
// value labels of every coded variable and the missing-value code of
// "tidak tahu". widths are the longest cells of the string columns, in bytes.
func writeSPS(w io.Writer, inst *survey.Instrument, words Words, lang string, widths []int) error {
	vars := variables(inst, words, true)
	var b strings.Builder
	b.WriteString("* Encoding: UTF-8.\n")
	b.WriteString("* " + inst.Code + ": " + strings.ReplaceAll(inst.Title.In(lang), ".", "") + ".\n")
	b.WriteString("GET DATA\n  /TYPE=TXT\n  /FILE='answers.csv'\n  /ENCODING='UTF-8'\n  /ARRANGEMENT=DELIMITED\n" +
		"  /DELCASE=LINE\n  /FIRSTCASE=2\n  /DELIMITERS=','\n  /QUALIFIER='\"'\n  /VARIABLES=\n")
	for i, v := range vars {
		b.WriteString("    " + v.name + " " + spssFormat(v, widths, i) + "\n")
	}
	b.WriteString(".\n\nVARIABLE LABELS\n")
	for i, v := range vars {
		sep := "  /"
		if i == 0 {
			sep = "  "
		}
		b.WriteString(sep + v.name + " " + spssString(v.label.In(lang), "    ") + "\n")
	}
	b.WriteString(".\n")
	first := true
	for _, v := range vars {
		if !v.coded() {
			continue
		}
		if first {
			b.WriteString("\nVALUE LABELS\n  ")
			first = false
		} else {
			b.WriteString("  /")
		}
		b.WriteString(v.name + "\n")
		vals := v.values
		if lang == "en" {
			vals = v.valEN
		}
		for _, val := range vals {
			b.WriteString("    " + spssValue(v, val[0]) + " " + spssString(val[1], "      ") + "\n")
		}
		if v.item != nil && v.item.DontKnow {
			b.WriteString(fmt.Sprintf("    %d %s\n", CodeDontKnow, spssString(words.DontKnow.In(lang), "      ")))
		}
	}
	if !first {
		b.WriteString(".\n")
	}
	var missing []string
	for _, v := range vars {
		if v.item != nil && v.item.DontKnow {
			missing = append(missing, v.name)
		}
	}
	if len(missing) > 0 {
		b.WriteString("\nMISSING VALUES\n")
		for i := 0; i < len(missing); i += 8 {
			b.WriteString("  " + strings.Join(missing[i:min(i+8, len(missing))], " ") + "\n")
		}
		b.WriteString(fmt.Sprintf("  (%d).\n", CodeDontKnow))
	}
	b.WriteString("\nEXECUTE.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// spssFormat is a variable's input format: strings as wide as their longest
// cell, codes as two-digit integers.
func spssFormat(v variable, widths []int, i int) string {
	switch v.kind {
	case survey.KindOrdinal, survey.KindExperience:
		return "F2.0"
	case "number":
		return "F8.0"
	}
	w := 1
	if i < len(widths) && widths[i] > w {
		w = widths[i]
	}
	return fmt.Sprintf("A%d", min(w, 32767))
}

// spssValue is a value in VALUE LABELS: a number for codes, quoted for strings.
func spssValue(v variable, code string) string {
	if v.item != nil {
		return code
	}
	return spssString(code, "")
}

// spssString quotes s for SPSS syntax: single quotes, an inner quote
// doubled, cut to SPSS's label limit, split into "+"-joined pieces.
func spssString(s, indent string) string {
	s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
	for len(s) > spssLabelMax {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	var parts []string
	r := []rune(s)
	for len(r) > spssChunk {
		parts = append(parts, string(r[:spssChunk]))
		r = r[spssChunk:]
	}
	parts = append(parts, string(r))
	for i, p := range parts {
		parts[i] = "'" + strings.ReplaceAll(p, "'", "''") + "'"
	}
	return strings.Join(parts, " +\n"+indent)
}
