package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// genElements are the SPI 2021–2024 elements.
var genElements = []string{"transparansi", "integritas_tugas", "pbj", "sdm", "perdagangan_pengaruh", "anggaran", "sosialisasi"}

// genInstrument builds a deterministic instrument of nItems items (one text item).
func genInstrument(nItems int) ([]Element, []Item) {
	var els []Element
	for _, e := range genElements {
		els = append(els, Element{Code: e, Weight: 1})
	}
	external := map[string]bool{"transparansi": true, "integritas_tugas": true, "perdagangan_pengaruh": true, "sosialisasi": true}
	var items []Item
	for i := range nItems - 1 {
		e := genElements[i%len(genElements)]
		it := Item{Code: fmt.Sprintf("q%02d", i+1), Element: e, Kind: Ordinal, Points: []int{5, 4, 6, 5, 10}[i%5]}
		if i%6 == 5 {
			it.Kind, it.Points = Experience, 0
		}
		if i%9 == 4 {
			it.Reverse = true
		}
		if external[e] {
			it.Types = []string{Internal, External, Expert}
		} else {
			it.Types = []string{Internal, Expert}
		}
		items = append(items, it)
	}
	items = append(items, Item{Code: "saran", Element: genElements[0], Kind: Text})
	return els, items
}

// genInput builds a deterministic synthetic period of n responses over nu units.
func genInput(seed uint64, nu, n, nItems int) Input {
	rng := rand.New(rand.NewPCG(seed, 7))
	els, items := genInstrument(nItems)
	in := Input{Period: "SPI test", Settings: DefaultSettings(), Elements: els, Items: items,
		Corrections: map[string][]Correction{}, Strata: map[string]map[string]int{}}
	latent := make([]float64, nu)
	for u := range nu {
		code := fmt.Sprintf("u%03d", u+1)
		size := n / nu
		in.Units = append(in.Units, Unit{Code: code, Name: "Unit " + code, Population: map[string]int{
			Internal: size, External: 2 * size, Expert: 0}})
		latent[u] = rng.NormFloat64() * 0.6
		in.Strata[code] = map[string]int{"pns": size * 6 / 10, "pppk": size - size*6/10}
		if u%7 == 3 {
			in.Corrections[code] = []Correction{{Points: 2.5, Kind: "complaints", Reason: "r", Evidence: "e"}}
		}
	}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	in.Responses = make([]Response, n)
	answers := make([]byte, n*len(items))
	for i := range n {
		u := rng.IntN(nu)
		t := Internal
		switch x := rng.Float64(); {
		case x > 0.9:
			t = Expert
		case x > 0.5:
			t = External
		}
		r := Response{ID: int64(i + 1), Unit: in.Units[u].Code, Type: t, Channel: "invitation",
			Hour:     start.Add(time.Duration(rng.IntN(30*24)) * time.Hour),
			Duration: 300 * math.Exp(rng.NormFloat64()*0.4), Answers: answers[i*len(items) : (i+1)*len(items)]}
		if t == External {
			r.Channel, r.Device = "open", fmt.Sprintf("dev%d", rng.IntN(n))
		}
		if t == Internal {
			r.Stratum = []string{"pns", "pppk"}[rng.IntN(2)]
		}
		theta := latent[u] + rng.NormFloat64()
		for j, it := range items {
			if !genSees(it, t) {
				continue
			}
			if rng.Float64() < 0.03 {
				r.Answers[j] = DontKnow
				continue
			}
			z := theta + rng.NormFloat64()
			switch it.Kind {
			case Text:
				if rng.Float64() < 0.2 {
					r.Answers[j] = 1
				}
			case Experience:
				r.Answers[j] = No
				if z < -1.2 {
					r.Answers[j] = Yes
				}
			case Ordinal:
				p := 1 / (1 + math.Exp(-(z+1)*1.2))
				if it.Reverse {
					p = 1 - p
				}
				v := 1 + int(p*float64(it.Points))
				r.Answers[j] = byte(min(v, it.Points))
			}
		}
		in.Responses[i] = r
	}
	return in
}

func genSees(it Item, t string) bool {
	if len(it.Types) == 0 {
		return true
	}
	for _, x := range it.Types {
		if x == t {
			return true
		}
	}
	return false
}
