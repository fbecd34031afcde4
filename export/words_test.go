package export

import (
	"integritas/assets"
	"integritas/locale"
)

// testWords are the codebook's words from the real locale files.
var testWords = func() Words {
	b, err := locale.Load(assets.FS)
	if err != nil {
		panic(err)
	}
	return WordsFor(b)
}()
