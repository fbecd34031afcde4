package server

// Size is a byte count as a person reads it, in the page's language:
// "512 B", "84,2 kB", "1,3 MB" (decimal units, one decimal).
func (p *Page) Size(n int) string {
	switch {
	case n < 1000:
		return p.Num(float64(n), 0) + " B"
	case n < 1000*1000:
		return p.Num(float64(n)/1000, 1) + " kB"
	case n < 1000*1000*1000:
		return p.Num(float64(n)/1e6, 1) + " MB"
	}
	return p.Num(float64(n)/1e9, 1) + " GB"
}
