// Package assets embeds everything the binary serves or reads at start-up:
// page templates, CSS and JavaScript, locale files, fonts and the default
// instrument.
package assets
