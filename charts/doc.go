// Package charts draws the analysts' charts of an integrity-survey period as
// PNG and SVG with gonum/plot's canvases: the ranking of unit indices, the
// units × elements heatmap, a unit's element profile beside the city's, a
// unit's trend over periods, the distribution of respondent scores and the
// response rate against the target sample.
//
// Every word a reader sees comes from the caller (per-chart Text structs,
// filled from the server's locale files); numbers are written with the
// caller's Format, so Indonesian charts read 74,21. Text is set in the
// Liberation Sans TTFs compiled into the binary and loaded into a font cache
// owned by each chart (or by the caller's Cache, shared by a batch), so a
// PNG looks the same on every machine and no system font is consulted.
//
// Figures the analysis engine suppressed (nil pointers) are drawn as absent,
// marked "—" with the caller's note, never as zero. Colours come from the
// colour-blind-safe ColorBrewer RdYlBu ramp (category bands) and the
// Okabe–Ito palette (series), and every colour is doubled by a shape, a fill
// pattern or a label.
//
// PNGs are drawn through gonum's vgimg canvas with fast paths for what
// charts are made of (axis-aligned rectangles and lines copied straight into
// the image, glyphs from a per-render cache) and written as 8-bit indexed
// PNGs: fills and lines keep their exact colours, anti-aliased glyph edges
// may shift slightly when a chart holds more than 256 colours. SVG text
// carries its laid-out width (textLength), so a viewer without Liberation
// Sans or Arial still keeps every label in its column; Layout.EmbedFonts
// embeds the fonts instead.
//
// The package keeps no state between calls: a Chart is immutable once built,
// so one may be rendered to PNG and SVG concurrently and cached. What a batch
// of charts may share (fonts, text measurements, glyph masks) lives in a
// Cache the caller creates and passes in Common; the only package-level
// values are pools of scratch buffers, reset before every use.
package charts
