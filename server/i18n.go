package server

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"strconv"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages the interface speaks, Indonesian first.
var languages = []language.Tag{language.Indonesian, language.English}

// loadBundle reads every locales/*.{id,en}.json message file.
func loadBundle(fsys fs.FS) (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.Indonesian)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(fsys, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if _, err := b.LoadMessageFileFS(fsys, f); err != nil {
			return nil, fmt.Errorf("server: locale %s: %w", f, err)
		}
	}
	return b, nil
}

// translator speaks one language.
type translator struct {
	lang string
	loc  *i18n.Localizer
}

func newTranslator(b *i18n.Bundle, lang string) translator {
	if lang != "en" {
		lang = "id"
	}
	return translator{lang: lang, loc: i18n.NewLocalizer(b, lang)}
}

// T returns the message id in the translator's language; data fills
// {{.Name}} placeholders from alternating key, value arguments. A missing
// message shows its id, which the locale tests catch.
func (t translator) T(id string, kv ...any) string {
	var data map[string]any
	if len(kv) > 1 {
		data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			data[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	msg, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return msg
}

// Num formats a number with the language's decimal separator: 74,21 in
// Indonesian, 74.21 in English. NaN shows as a dash.
func (t translator) Num(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	thousands, dec := ",", "."
	if t.lang == "id" {
		thousands, dec = ".", ","
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(dec + frac)
	}
	return b.String()
}

// pickLang chooses the language: ?lang=, then the lang cookie, then the
// browser's Accept-Language, then Indonesian.
func pickLang(query, cookie, accept string) string {
	for _, v := range []string{query, cookie} {
		if v == "id" || v == "en" {
			return v
		}
	}
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err == nil && len(tags) > 0 {
		m := language.NewMatcher(languages)
		_, i, conf := m.Match(tags...)
		if conf != language.No && i == 1 {
			return "en"
		}
	}
	return "id"
}

// Lang is the translator's language code, "id" or "en".
func (t translator) Lang() string { return t.lang }
