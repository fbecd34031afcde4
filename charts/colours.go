package charts

// colourTable is an open-addressing hash table from 0xBBGGRR colours to
// ints: a chart holds a few thousand colours and this is looked up at every
// change of colour along a row, where Go maps cost a quarter of the encoding.
type colourTable struct {
	keys []uint32 // empty slots hold noColour
	vals []int
	n    int
}

const noColour = ^uint32(0) // never a 24-bit colour

func newColourTable() *colourTable {
	t := &colourTable{keys: make([]uint32, 1<<10), vals: make([]int, 1<<10)} // counting stops past 256 colours
	for i := range t.keys {
		t.keys[i] = noColour
	}
	return t
}

// slot returns the value cell of c, adding c with 0 when absent.
func (t *colourTable) slot(c uint32) *int {
	mask := uint32(len(t.keys) - 1)
	for i := (c * 2654435761) >> 8 & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case c:
			return &t.vals[i]
		case noColour:
			if 2*(t.n+1) > len(t.keys) {
				t.grow()
				return t.slot(c)
			}
			t.keys[i] = c
			t.n++
			return &t.vals[i]
		}
	}
}

// get returns the value of c, or 0 when absent; it never writes, so bands
// may read one table concurrently.
func (t *colourTable) get(c uint32) int {
	mask := uint32(len(t.keys) - 1)
	for i := (c * 2654435761) >> 8 & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case c:
			return t.vals[i]
		case noColour:
			return 0
		}
	}
}

// grow doubles the table.
func (t *colourTable) grow() {
	old := *t
	t.keys, t.vals, t.n = make([]uint32, 2*len(old.keys)), make([]int, 2*len(old.keys)), 0
	for i := range t.keys {
		t.keys[i] = noColour
	}
	old.each(func(c uint32, v int) { *t.slot(c) = v })
}

// each calls f for every colour and its value.
func (t *colourTable) each(f func(c uint32, v int)) {
	for i, k := range t.keys {
		if k != noColour {
			f(k, t.vals[i])
		}
	}
}
