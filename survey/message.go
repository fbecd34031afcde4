package survey

import (
	"strings"
	"sync"

	"integritas/assets"
	"integritas/locale"
)

// Texter is a message a person reads, rendered in their language from the
// locale files. Import problems and roster notes carry their message as an
// id and placeholders, so pages and the command line speak the reader's
// language while Error() strings (logs, tests) stay English.
type Texter interface {
	Text(tr locale.Translator) string
}

// english renders Error() strings. The bundle is read once from the
// embedded locale files and never changes.
var english = sync.OnceValue(func() locale.Translator {
	b, err := locale.Load(assets.FS)
	if err != nil {
		panic("survey: embedded locale files: " + err.Error()) // caught by every test run
	}
	return b.For("en")
})

// render fills a message's placeholders; values that are Texters are
// rendered in the same language first.
func render(tr locale.Translator, key string, args []any) string {
	kv := make([]any, len(args))
	copy(kv, args)
	for i := 1; i < len(kv); i += 2 {
		if t, ok := kv[i].(Texter); ok {
			kv[i] = t.Text(tr)
		}
	}
	return tr.T(key, kv...)
}

// FrameNote is why a roster row falls outside the internal frame, as
// stored: "frame:" and reason codes (institution, unit, head, support).
// Rows imported before the codes hold English text, shown as it is.
type FrameNote string

// frame reason codes, each a message import.frame.<code>.
const (
	frameInstitution = "institution" // under 2 years in the institution
	frameUnit        = "unit"        // under 1 year in the unit
	frameHead        = "head"        // the unit head
	frameSupport     = "support"     // support staff
)

// Text renders the note in the reader's language.
func (n FrameNote) Text(tr locale.Translator) string {
	codes, ok := strings.CutPrefix(string(n), "frame:")
	if !ok {
		return string(n)
	}
	var why []string
	for _, c := range strings.Split(codes, ",") {
		why = append(why, tr.T("import.frame."+c))
	}
	return tr.T("import.frame.excluded", "Why", strings.Join(why, ", "))
}
