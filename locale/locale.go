package locale

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
var Languages = []language.Tag{language.Indonesian, language.English}

// matcher picks among Languages. Making one builds its tables: 25 µs and
// over a hundred allocations, which every request with an Accept-Language
// header (every browser's) paid before it was made once here. A matcher
// only reads its tables, so requests share it.
var matcher = language.NewMatcher(Languages)

// Bundle holds every message of every language, and a localizer per
// language: a localizer never changes once made, and making one (parsing
// its language tag) on every request was 4 % of the server's CPU per
// questionnaire response at full load.
type Bundle struct {
	b      *i18n.Bundle
	id, en *i18n.Localizer
}

// Load reads every locales/*.json message file of fsys.
func Load(fsys fs.FS) (*Bundle, error) {
	b := i18n.NewBundle(language.Indonesian)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(fsys, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if _, err := b.LoadMessageFileFS(fsys, f); err != nil {
			return nil, fmt.Errorf("locale: %s: %w", f, err)
		}
	}
	return &Bundle{b: b, id: i18n.NewLocalizer(b, "id"), en: i18n.NewLocalizer(b, "en")}, nil
}

// Has reports whether the message id exists in the language.
func (b *Bundle) Has(lang, id string) bool {
	_, err := i18n.NewLocalizer(b.b, lang).Localize(&i18n.LocalizeConfig{MessageID: id})
	return err == nil
}

// Translator speaks one language.
type Translator struct {
	lang string
	loc  *i18n.Localizer
}

// For returns the translator of lang ("en", anything else is Indonesian).
func (b *Bundle) For(lang string) Translator {
	if lang == "en" {
		return Translator{lang: lang, loc: b.en}
	}
	return Translator{lang: "id", loc: b.id}
}

// Lang is the translator's language code, "id" or "en".
func (t Translator) Lang() string { return t.lang }

// T returns the message id in the translator's language; data fills
// {{.Name}} placeholders from alternating key, value arguments. A missing
// message shows its id, which the locale tests catch.
func (t Translator) T(id string, kv ...any) string {
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

// Num formats a number with the language's separators: 1.234,5 in
// Indonesian, 1,234.5 in English. NaN and infinities show as a dash.
func (t Translator) Num(v float64, decimals int) string {
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

// Decimal is the language's decimal separator.
func (t Translator) Decimal() rune {
	if t.lang == "id" {
		return ','
	}
	return '.'
}

// Pick chooses the language: an explicit choice (query, then cookie), then
// the browser's Accept-Language, then Indonesian.
func Pick(query, cookie, accept string) string {
	for _, v := range []string{query, cookie} {
		if v == "id" || v == "en" {
			return v
		}
	}
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err == nil && len(tags) > 0 {
		_, i, conf := matcher.Match(tags...)
		if conf != language.No && i == 1 {
			return "en"
		}
	}
	return "id"
}
