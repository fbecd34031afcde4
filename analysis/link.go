package analysis

import (
	"encoding/binary"
	"math/bits"
)

// coachScratch holds the reusable buffers of one cluster search.
type coachScratch struct {
	rows   []byte   // the answers searched: respondent-major, eight items to a word
	words  int      // words per respondent
	w0     []uint64 // the first word of every respondent, contiguous for the pair loop
	nz0    []uint64 // high bit set for every answered item of the first word
	cnt    []int32  // items answered
	maxDis []int32  // disagreements a pair with this respondent may have
	parent []int32
	size   []int32
}

// reset points the scratch at rows and counts every respondent's answers.
func (s *coachScratch) reset(g *coachGroup, rows []byte) {
	n := len(g.resp)
	s.rows, s.words = rows, g.words
	s.w0, s.nz0, s.cnt, s.maxDis = resize(s.w0, n), resize(s.nz0, n), resize(s.cnt, n), resize(s.maxDis, n)
	s.parent, s.size = resize(s.parent, n), resize(s.size, n)
	L := 8 * g.words
	for j := range n {
		c := 0
		for w := range g.words {
			v := binary.LittleEndian.Uint64(rows[j*L+8*w:])
			nz := nonzero(v)
			if w == 0 {
				s.w0[j], s.nz0[j] = v, nz
			}
			c += bits.OnesCount64(nz)
		}
		s.cnt[j] = int32(c)
	}
}

// resize returns b with length l, zeroed, reusing its storage when it can.
func resize[T any](b []T, l int) []T {
	if cap(b) < l {
		return make([]T, l)
	}
	b = b[:l]
	clear(b)
	return b
}

func (s *coachScratch) find(x int32) int32 {
	for s.parent[x] != x {
		s.parent[x] = s.parent[s.parent[x]]
		x = s.parent[x]
	}
	return x
}

// link joins respondents submitted within the window whose answers agree
// (union by size) and returns the largest cluster's size. Respondents are in
// hour order, so each one is compared only with the later ones inside the
// window; a pair is dropped when its first word (the most diverse items)
// already holds too many disagreements, and pairs already joined are skipped.
func (m *model) link(g *coachGroup, s *coachScratch) int {
	n, L := len(g.resp), 8*s.words
	minItems := int32(m.s.CoachingItems)
	slack := 1 - m.s.CoachingAgreement
	for i := range n {
		s.parent[i], s.size[i] = int32(i), 1
		s.maxDis[i] = int32(slack*float64(s.cnt[i]) + 1e-9)
		if s.cnt[i] < minItems {
			s.maxDis[i] = -1
		}
	}
	window := int64(m.s.CoachingWindowHours)
	rows, w0, nz0, maxDis, hours := s.rows, s.w0[:n], s.nz0[:n], s.maxDis[:n], g.hours[:n]
	largest, end := 1, 0
	for i := range n {
		mdi := maxDis[i]
		for end < n && hours[end]-hours[i] <= window {
			end++
		}
		if mdi < 0 {
			continue
		}
		a0, na0 := w0[i], nz0[i]
		for j := i + 1; j < end; j++ {
			d0 := int32(bits.OnesCount64(nonzero(a0^w0[j]) & na0 & nz0[j]))
			if d0 > mdi {
				continue
			}
			md := min(mdi, maxDis[j])
			if d0 > md {
				continue
			}
			ri, rj := s.find(int32(i)), s.find(int32(j))
			if ri == rj || !agree(rows[i*L:(i+1)*L], rows[j*L:(j+1)*L], int(md), int(minItems), m.s.CoachingAgreement) {
				continue
			}
			if s.size[ri] < s.size[rj] {
				ri, rj = rj, ri
			}
			s.parent[rj] = ri
			s.size[ri] += s.size[rj]
			largest = max(largest, int(s.size[ri]))
		}
	}
	return largest
}

// agree reports whether two respondents' raw answers agree on at least the
// share of the items both answered, over at least minItems such items; it
// stops as soon as more than maxDis disagreements are seen.
func agree(a, b []byte, maxDis, minItems int, share float64) bool {
	common, dis := 0, 0
	for w := 0; w < len(a); w += 8 {
		x, y := binary.LittleEndian.Uint64(a[w:]), binary.LittleEndian.Uint64(b[w:])
		present := nonzero(x) & nonzero(y)
		dis += bits.OnesCount64(nonzero(x^y) & present)
		if dis > maxDis {
			return false
		}
		common += bits.OnesCount64(present)
	}
	return common >= minItems && float64(common-dis) >= share*float64(common)-1e-9
}

// components lists the clusters of at least minSize respondents (positions
// into the group, ascending), ordered by their first member.
func (s *coachScratch) components(minSize int) [][]int {
	byRoot := map[int32]int{}
	var out [][]int
	for i := range s.parent {
		r := s.find(int32(i))
		if int(s.size[r]) < minSize {
			continue
		}
		k, ok := byRoot[r]
		if !ok {
			k = len(out)
			byRoot[r] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], i)
	}
	return out
}

const (
	lo7 = 0x7f7f7f7f7f7f7f7f
	hi1 = 0x8080808080808080
)

// nonzero sets the high bit of every nonzero byte of v.
func nonzero(v uint64) uint64 { return (((v & lo7) + lo7) | v) & hi1 }
