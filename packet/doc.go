// Package packet builds a unit's result packet (spi-method.md §9): a ZIP
// holding a PDF report with its cover letter, an XLSX workbook of the same
// tables with the follow-up (rencana aksi) sheet to return, and the unit's
// charts as PNG.
//
// A packet is built from one computed period (results.Period) plus earlier
// periods for the trend, in Indonesian or English, with every word from the
// locale files. Suppressed figures print "—" with a note in every file, never
// a number. Text is inert everywhere: the PDF holds it as text, XLSX cells are
// neutralised against formulas and file names inside the ZIP are sanitised.
package packet
