package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"integritas/survey"
)

// generator draws plausible answers: each respondent has a latent integrity
// level around the unit's, lowered on the unit's weak element, and answers
// every item with noise around it.
type generator struct {
	rng      *rand.Rand
	inst     *survey.Instrument
	period   int64
	from, to time.Time
}

var suggestions = []string{
	"Mohon informasi biaya layanan dipasang di loket dan di situs web.",
	"Antrean daring sangat membantu, tolong diperluas.",
	"Petugas ramah, tetapi waktu tunggu masih lama.",
	"Perlu kanal pengaduan yang menjamin kerahasiaan pelapor.",
	"Sosialisasi gratifikasi perlu diulang setiap tahun.",
}

// unit draws a unit's responses; shift moves its level, share scales the counts.
func (g *generator) unit(u unitSpec, unitID int64, shift, share float64) []survey.NewResponse {
	var out []survey.NewResponse
	counts := map[string]int{survey.Internal: u.internalResp, survey.External: u.externalResp, survey.Expert: u.expertResp}
	for _, typ := range survey.Types {
		n := int(math.Round(float64(counts[typ]) * share))
		for i := 0; i < n; i++ {
			level := u.level + shift + g.rng.NormFloat64()*0.15
			if typ == survey.External {
				level += 0.02 // the public sees the counter, not the back office
			}
			out = append(out, g.response(unitID, typ, level, u.weak))
		}
	}
	return out
}

func (g *generator) response(unitID int64, typ string, level float64, weak string) survey.NewResponse {
	vec := make([]byte, len(g.inst.Items))
	texts := map[string]string{}
	straight := g.rng.Float64() < 0.01
	for i, it := range g.inst.Items {
		if !it.For(typ) {
			continue
		}
		theta := level
		if it.Element == weak {
			theta -= 0.16
		}
		switch {
		case it.Scale.Kind == survey.KindText:
			if g.rng.Float64() < 0.08 {
				vec[i] = survey.AnswerText
				texts[it.Code] = suggestions[g.rng.IntN(len(suggestions))]
			}
		case straight && it.Scale.Kind == survey.KindOrdinal:
			vec[i] = 4
		case straight:
			vec[i] = survey.AnswerNo
		case it.DontKnow && g.rng.Float64() < 0.04:
			vec[i] = survey.AnswerDontKnow
		case !it.Required && g.rng.Float64() < 0.015:
			// left unanswered
		case it.Scale.Kind == survey.KindOrdinal:
			vec[i] = g.ordinal(it, theta)
		default:
			pYes := 0.95 * math.Pow(clamp(1-theta, 0, 1), 1.7)
			vec[i] = survey.AnswerNo
			if g.rng.Float64() < pYes {
				vec[i] = survey.AnswerYes
			}
		}
	}
	r := survey.NewResponse{PeriodID: g.period, UnitID: unitID, Type: typ, Channel: survey.ChannelInvitation,
		Submitted: g.hour(), Duration: g.duration(), Lang: "id", Answers: survey.Answers{Vector: vec, Texts: texts}}
	if g.rng.Float64() < 0.1 {
		r.Lang = "en"
	}
	if typ == survey.External {
		r.Channel = survey.ChannelOpen
		if g.rng.Float64() < 0.1 {
			r.Channel = survey.ChannelPaper
		} else {
			r.DeviceHash = g.device()
		}
	}
	if g.inst.Strata.For(typ) {
		opts := g.inst.Strata.Options
		r.Answers.Stratum = opts[g.rng.IntN(len(opts))].Code
	}
	return r
}

// ordinal answers an ordinal item: position 1..k around theta, reversed
// items mirrored (a high answer there means less integrity).
func (g *generator) ordinal(it survey.Item, theta float64) byte {
	k := it.Scale.Points
	x := clamp(theta+g.rng.NormFloat64()*0.09, 0, 1)
	pos := 1 + int(math.Round(x*float64(k-1)))
	if it.Reverse {
		pos = k + 1 - pos
	}
	return byte(pos)
}

// coached adds a cluster of 12 identical internal responses submitted within
// three hours: the pattern of pengkondisian (a sitting) the engine must flag.
func (g *generator) coached(unitID int64) []survey.NewResponse {
	template := g.response(unitID, survey.Internal, 0.97, "")
	template.Answers.Texts = map[string]string{}
	at := g.hour()
	var out []survey.NewResponse
	for i := 0; i < 12; i++ {
		r := template
		r.Answers.Vector = append([]byte(nil), template.Answers.Vector...)
		r.Answers.Texts = map[string]string{}
		r.Submitted = at.Add(time.Duration(g.rng.IntN(3)) * time.Hour)
		r.Duration = 150 + g.rng.IntN(120)
		out = append(out, r)
	}
	return out
}

// duplicates adds two open-link responses sent twice from the same device.
func (g *generator) duplicates(unitID int64) []survey.NewResponse {
	var out []survey.NewResponse
	for i := 0; i < 2; i++ {
		r := g.response(unitID, survey.External, 0.8, "")
		r.Channel, r.DeviceHash = survey.ChannelOpen, g.device()
		twin := r
		twin.Answers.Vector = append([]byte(nil), r.Answers.Vector...)
		twin.Submitted = r.Submitted.Add(time.Hour)
		out = append(out, r, twin)
	}
	return out
}

func (g *generator) hour() time.Time {
	span := g.to.Sub(g.from)
	if span <= 0 {
		return g.from
	}
	return g.from.Add(time.Duration(g.rng.Int64N(int64(span))))
}

// duration is a completion time: log-normal around eight minutes, with a
// few speeders.
func (g *generator) duration() int {
	if g.rng.Float64() < 0.02 {
		return 45 + g.rng.IntN(60)
	}
	return int(math.Exp(math.Log(480) + g.rng.NormFloat64()*0.35))
}

func (g *generator) device() []byte {
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte(g.rng.IntN(256))
	}
	return b
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
