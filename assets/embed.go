package assets

import "embed"

// FS holds the embedded assets.
//
//go:embed templates static locales instruments
var FS embed.FS

// DefaultInstrumentPath is the default SPI instrument inside FS.
const DefaultInstrumentPath = "instruments/spi-2026.json"

// DefaultInstrument returns the default SPI instrument's JSON definition.
func DefaultInstrument() []byte {
	b, err := FS.ReadFile(DefaultInstrumentPath)
	if err != nil {
		panic("assets: default instrument missing: " + err.Error())
	}
	return b
}
