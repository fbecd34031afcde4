package export

// SafeCell neutralises a text cell that a spreadsheet would read as a
// formula (=, +, -, @, tab, carriage return) by prefixing an apostrophe.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
