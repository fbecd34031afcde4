package server

import (
	"integritas/locale"
)

// translator is the request's language; pages embed it.
type translator = locale.Translator

// pickLang chooses the request's language.
func pickLang(query, cookie, accept string) string { return locale.Pick(query, cookie, accept) }
