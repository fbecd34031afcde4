package export

import (
	"fmt"
	"io"
	"strings"

	"integritas/survey"
)

// writeR writes a base-R script that loads answers.csv into the data frame
// `answers`: identifiers as text (so a unit code "007" keeps its zeros),
// coded items as factors with their value labels, 99 ("tidak tahu") as NA
// like SPSS's declared missing value, and each column's label in
// attr(, "label"). Non-ASCII text is written as \u{…} escapes, so the script
// runs the same in any locale.
func writeR(w io.Writer, inst *survey.Instrument, words Words, lang string) error {
	vars := variables(inst, words, true)
	var b strings.Builder
	b.WriteString("# " + rComment(inst.Code) + ": loads answers.csv with its labels (base R only).\n")
	b.WriteString("# Run it in the folder of answers.csv: source(\"answers.R\"); the data are in `answers`.\n")
	classes := make([]string, len(vars))
	for i, v := range vars {
		class := "character"
		if v.item != nil && v.kind != survey.KindText || v.kind == "number" {
			class = "integer"
		}
		classes[i] = rString(v.name) + " = " + rString(class)
	}
	b.WriteString("answers <- read.csv(\"answers.csv\", encoding = \"UTF-8\", stringsAsFactors = FALSE,\n")
	b.WriteString("  na.strings = \"\", check.names = FALSE,\n  colClasses = c(" + strings.Join(classes, ",\n    ") + "))\n")
	for _, v := range vars {
		col := "answers[[" + rString(v.name) + "]]"
		if v.coded() {
			vals := v.values
			if lang == "en" {
				vals = v.valEN
			}
			levels, labels := make([]string, len(vals)), make([]string, len(vals))
			for i, val := range vals {
				levels[i], labels[i] = val[0], rString(val[1])
				if v.item == nil {
					levels[i] = rString(val[0])
				}
			}
			if v.item != nil && v.item.DontKnow {
				fmt.Fprintf(&b, "%s[%s %%in%% %d] <- NA  # %s\n", col, col, CodeDontKnow, rComment(words.DontKnow.In(lang)))
			}
			fmt.Fprintf(&b, "%s <- factor(%s, levels = c(%s),\n  labels = c(%s))\n", col, col,
				strings.Join(levels, ", "), strings.Join(labels, ", "))
		}
		fmt.Fprintf(&b, "attr(%s, \"label\") <- %s\n", col, rString(v.label.In(lang)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// rString is s as an R string literal: double quotes, backslash escapes,
// non-ASCII as \u{…}.
func rString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r > 0xffff:
			fmt.Fprintf(&b, `\U{%x}`, r)
		case r > 0x7e:
			fmt.Fprintf(&b, `\u{%x}`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// rComment is s fit for the end of an R comment line: ASCII, one line.
func rComment(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return ' '
		}
		return r
	}, s)
}
