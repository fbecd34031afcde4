package charts

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"integritas/analysis"
)

// Unit names with the non-ASCII text the charts must carry intact.
const (
	nameLong   = "Dinas Pekerjaan Umum & Penataan Ruang — Bidang Bina Marga"
	nameKec    = "Kecamatan Tanjung Karang Pusat"
	nameSmall  = "Kelurahan Kecil (sampel ≥ 1)"
	unitLong   = "u001"
	unitKec    = "u002"
	unitSmall  = "u003" // too few respondents of every type: suppressed
	unitNoExp  = "u004" // no expert respondents: a partial index
	fixtureK   = 5
	periodName = "SPI 2026"
)

// elementCodes are the SPI 2021–2024 elements in the instrument's order.
var elementCodes = []string{"transparansi", "integritas_tugas", "pbj", "sdm", "perdagangan_pengaruh", "anggaran", "sosialisasi"}

// synthInput builds a deterministic period of nu units: unit 3 gets only
// three respondents per type (suppressed), unit 4 no experts (partial).
func synthInput(seed uint64, nu, perType int) analysis.Input {
	rng := rand.New(rand.NewPCG(seed, 11))
	external := map[string]bool{"transparansi": true, "integritas_tugas": true, "perdagangan_pengaruh": true, "sosialisasi": true}
	in := analysis.Input{Period: periodName, Settings: analysis.DefaultSettings()}
	for _, e := range elementCodes {
		in.Elements = append(in.Elements, analysis.Element{Code: e, Weight: 1})
		types := []string{analysis.Internal, analysis.Expert}
		if external[e] {
			types = analysis.Types()
		}
		for j := range 3 {
			in.Items = append(in.Items, analysis.Item{Code: fmt.Sprintf("%s_%d", e, j), Element: e, Kind: analysis.Ordinal, Points: 5, Types: types})
		}
	}
	names := []string{nameLong, nameKec, nameSmall}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	id := int64(0)
	for u := range nu {
		code := fmt.Sprintf("u%03d", u+1)
		name := fmt.Sprintf("Unit Kerja %03d", u+1)
		if u < len(names) {
			name = names[u]
		}
		in.Units = append(in.Units, analysis.Unit{Code: code, Name: name, Population: map[string]int{analysis.Internal: 4 * perType, analysis.External: 10 * perType}})
		latent := rng.NormFloat64() * 0.8
		for _, typ := range analysis.Types() {
			n := perType + rng.IntN(perType/2+1)
			if code == unitSmall {
				n = 3
			}
			if code == unitNoExp && typ == analysis.Expert {
				n = 0
			}
			for range n {
				id++
				r := analysis.Response{ID: id, Unit: code, Type: typ, Channel: "invitation", Hour: start.Add(time.Duration(id%500) * time.Hour),
					Duration: 200 + 200*rng.Float64(), Answers: make([]byte, len(in.Items))}
				theta := latent + rng.NormFloat64()
				for j, it := range in.Items {
					if !sees(it, typ) {
						continue
					}
					p := 1 / (1 + math.Exp(-(theta+rng.NormFloat64()*0.7+1.3)*1.1))
					r.Answers[j] = byte(min(5, 1+int(p*5)))
				}
				in.Responses = append(in.Responses, r)
			}
		}
	}
	return in
}

func sees(it analysis.Item, typ string) bool {
	for _, t := range it.Types {
		if t == typ {
			return true
		}
	}
	return false
}

// synthResults computes a synthetic period.
func synthResults(tb testing.TB, nu, perType int) *analysis.Results {
	tb.Helper()
	res, err := analysis.Compute(synthInput(42, nu, perType))
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// Indonesian text, as the server's locale files would supply it.
func idText(title string) Text {
	return Text{
		Title:      title,
		Period:     "Periode",
		Suppressed: "disembunyikan: kurang dari {k} responden (bukan nol)",
		Categories: map[string]string{"rentan": "Rentan", "waspada": "Waspada", "terjaga": "Terjaga", "sangat_rentan": "Sangat Rentan"},
	}
}

var idFormat = Format{Decimal: ',', Group: '.'}

var idElements = map[string]string{
	"transparansi": "Transparansi", "integritas_tugas": "Integritas dalam pelaksanaan tugas",
	"pbj": "Pengadaan barang/jasa", "sdm": "Pengelolaan SDM", "perdagangan_pengaruh": "Perdagangan pengaruh",
	"anggaran": "Pengelolaan anggaran", "sosialisasi": "Sosialisasi antikorupsi",
}

func rankingOptions() RankingOptions {
	return RankingOptions{
		Common: Common{Format: idFormat},
		Text: RankingText{Text: idText("Peringkat Indeks Integritas Unit Kerja – SPI 2026"), Axis: "Indeks (0–100)",
			Units: "Unit kerja", Value: "Indeks", CI: "Interval kepercayaan 95%", Partial: "indeks parsial: ada jenis responden yang tidak dihitung"},
	}
}

// idTypes are the respondent types' Indonesian names.
var idTypes = map[string]string{analysis.Internal: "Responden internal (ASN)", analysis.External: "Responden eksternal (pengguna layanan)", analysis.Expert: "Responden ahli"}

func heatmapOptions(typ string) HeatmapOptions {
	return HeatmapOptions{
		Common:   Common{Format: idFormat},
		Type:     typ,
		Elements: elementCodes,
		Text: HeatmapText{Text: idText("Skor elemen per unit kerja – SPI 2026"), Type: idTypes[typ],
			Units: "Unit kerja", City: "Kota (semua unit)", Elements: idElements},
	}
}

func profileOptions(unit, typ string) ProfileOptions {
	return ProfileOptions{
		Common: Common{Format: idFormat}, Unit: unit, Type: typ, Elements: elementCodes,
		Text: ProfileText{Text: idText("Profil elemen: " + nameLong), Type: "Responden internal (ASN)", City: "Kota (semua unit)",
			Axis: "Skor (0–100)", CI: "Interval kepercayaan 95%", Elements: idElements},
	}
}

func trendOptions() TrendOptions {
	return TrendOptions{
		Common: Common{Format: idFormat}, Unit: nameKec, Settings: analysis.DefaultSettings(),
		Text: TrendText{Text: idText("Tren indeks – " + nameKec), Axis: "Indeks (0–100)", Periods: "Periode survei",
			City: "Indeks kota (gabungan)", CI: "Interval kepercayaan 95%", Partial: "indeks parsial"},
	}
}

// trendPoints is four periods: one suppressed, one partial.
func trendPoints() []TrendPoint {
	fig := func(idx, lo, hi float64, partial bool) analysis.IndexFigure {
		return analysis.IndexFigure{Index: ptr(idx), CI: &[2]float64{lo, hi}, Partial: partial}
	}
	return []TrendPoint{
		{Period: "SPI 2023", Unit: fig(70.12, 66.5, 73.74, false), City: ptr(72.4), N: ptr(48)},
		{Period: "SPI 2024", Unit: analysis.IndexFigure{Suppressed: true}, City: ptr(73.9)},
		{Period: "SPI 2025", Unit: fig(76.55, 73.1, 80.0, true), City: ptr(75.05), N: ptr(61)},
		{Period: "SPI 2026", Unit: fig(79.31, 77.02, 81.6, false), City: nil, N: ptr(1234)},
	}
}

func distributionOptions(unit, typ string) DistributionOptions {
	return DistributionOptions{
		Common: Common{Format: idFormat}, Unit: unit, Type: typ,
		Text: DistributionText{Text: idText("Sebaran skor responden"), Type: "Responden internal (ASN)",
			Axis: "Skor komponen per responden (0–100)", Count: "Jumlah responden", Mean: "Skor komponen"},
	}
}

func responseOptions(typ string) ResponseOptions {
	return ResponseOptions{
		Common: Common{Format: idFormat}, Type: typ,
		Text: ResponseText{Title: "Tingkat respons per unit kerja", Period: "Periode", Type: "Semua jenis responden",
			Units: "Unit kerja", Axis: "Jumlah responden", Received: "Diterima", Required: "Target sampel (margin ≤ 5 poin)"},
	}
}

// handResults is a small period built by hand, so expected values are
// known exactly: A in Terjaga, B partial in Waspada, C in Rentan, D hidden.
func handResults() *analysis.Results {
	fig := func(v, se float64, n int) analysis.Figure {
		return analysis.Figure{Score: ptr(v), SE: ptr(se), CI: &[2]float64{v - 2*se, v + 2*se}, N: ptr(n)}
	}
	hidden := analysis.Figure{Suppressed: true, Suppression: analysis.SuppressMinGroup}
	comp := func(f analysis.Figure, w float64, elems map[string]analysis.Figure) *analysis.Component {
		c := &analysis.Component{Figure: f, Weight: w, Elements: map[string]*analysis.ElementFigure{}}
		for e, ef := range elems {
			c.Elements[e] = &analysis.ElementFigure{Figure: ef}
		}
		return c
	}
	idx := func(v, half float64, cat string, partial bool) analysis.IndexFigure {
		return analysis.IndexFigure{Index: ptr(v), CI: &[2]float64{v - half, v + half}, Margin: ptr(half), Category: cat, Partial: partial}
	}
	counts := func(rec, req int) map[string]analysis.ResponseCount {
		return map[string]analysis.ResponseCount{
			analysis.Internal: {Received: rec, Included: rec, Required: ptr(req)},
			analysis.External: {Received: rec / 2, Included: rec / 2, Required: ptr(req / 2)},
		}
	}
	return &analysis.Results{
		Period:   periodName,
		Settings: analysis.DefaultSettings(),
		City: analysis.City{Pooled: analysis.PooledIndex{IndexFigure: idx(74.5, 1, "waspada", false), Components: map[string]*analysis.Component{
			analysis.Internal: comp(fig(74.5, 0.5, 1234), 0.5, map[string]analysis.Figure{"transparansi": fig(76.0, 0.6, 1230), "pbj": fig(71.25, 0.7, 1200)}),
		}}},
		Units: []analysis.UnitResult{
			{Code: "C", Name: nameKec, IndexFigure: idx(60, 4, "rentan", false), ResponseCounts: counts(30, 60),
				Components: map[string]*analysis.Component{analysis.Internal: comp(fig(60, 2, 30), 0.5, map[string]analysis.Figure{"transparansi": fig(62.5, 2, 30), "pbj": hidden})}},
			{Code: "A", Name: nameLong, IndexFigure: idx(80.5, 3, "terjaga", false), ResponseCounts: counts(40, 50),
				Components: map[string]*analysis.Component{analysis.Internal: comp(fig(80.5, 1.5, 40), 0.5, map[string]analysis.Figure{"transparansi": fig(82.75, 1.5, 40), "pbj": fig(78.0, 1.8, 39)})}},
			{Code: "D", Name: nameSmall, IndexFigure: analysis.IndexFigure{Suppressed: true}, ResponseCounts: counts(3, 40),
				Components: map[string]*analysis.Component{analysis.Internal: comp(hidden, 0, map[string]analysis.Figure{"transparansi": hidden, "pbj": hidden})}},
			{Code: "B", Name: "Unit Kerja B", IndexFigure: idx(75.25, 5, "waspada", true), ResponseCounts: counts(12, 45),
				Components: map[string]*analysis.Component{analysis.Internal: comp(fig(75.25, 2.5, 12), 1, map[string]analysis.Figure{"transparansi": fig(70.0, 3, 12), "pbj": fig(80.0, 3, 11)})}},
		},
		Scores: map[string]map[string][]float64{
			"A": {analysis.Internal: slices.Repeat([]float64{100, 100, 95, 95, 90, 90, 85, 80, 70, 0}, 4)}, // mean 80.5, n 40
			"C": {analysis.Internal: []float64{60, 61, 62}},                                                // fewer than k although the figure is shown
		},
	}
}
