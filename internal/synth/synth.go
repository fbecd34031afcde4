package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"integritas/assets"
	"integritas/survey"
)

// Spec describes a synthetic period.
type Spec struct {
	Code      string
	Units     int       // units U000, U001, …
	Parents   int       // units from this index on get parent U(i % Parents); 0: none
	Responses int       // in all; unit i % Units, each unit cycling through the types
	Start     time.Time // submission hours count from here
	Seed      uint64
	Open      bool // open the period afterwards
}

// Period creates the period with the default instrument, its units and
// responses, and returns it.
func Period(ctx context.Context, st *survey.Store, s Spec) (*survey.Period, error) {
	p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: s.Code, Name: "SPI " + s.Code, Instrument: assets.DefaultInstrument(),
		OpensOn: s.Start.Format(time.DateOnly)})
	if err != nil {
		return nil, err
	}
	var csv strings.Builder
	csv.WriteString("code,name,parent_code,head_email,internal_population,external_population,expert_population\n")
	for u := range s.Units {
		parent := ""
		if s.Parents > 0 && u >= s.Parents {
			parent = fmt.Sprintf("U%03d", u%s.Parents)
		}
		fmt.Fprintf(&csv, "U%03d,Unit Kerja %d,%s,head%d@example.org,%d,%d,%d\n", u, u, parent, u, 2000+u, 100000, 1000)
	}
	if _, err := st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader(csv.String())); err != nil {
		return nil, err
	}
	us, err := st.Units(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(s.Seed, s.Seed^0x51)) // #nosec: synthetic data
	batch := make([]survey.NewResponse, 0, 10000)
	for i := range s.Responses {
		ui := i % s.Units
		typ := survey.Types[(i/s.Units)%len(survey.Types)]
		level := 0.6 + 0.3*float64(ui)/float64(s.Units)
		batch = append(batch, survey.NewResponse{PeriodID: p.ID, UnitID: us[ui].ID, Type: typ, Channel: survey.ChannelInvitation,
			Submitted: s.Start.Add(time.Duration(i%2000) * time.Hour), Duration: 200 + rng.IntN(600),
			Answers: survey.Answers{Vector: Answers(p.Instrument, typ, level, rng)}})
		if len(batch) == cap(batch) || i == s.Responses-1 {
			if err := st.InsertResponses(ctx, batch); err != nil {
				return nil, err
			}
			batch = batch[:0]
		}
	}
	if s.Open {
		if err := st.SetPeriodStatus(ctx, s.Code, survey.StatusOpen); err != nil {
			return nil, err
		}
	}
	return st.Period(ctx, s.Code)
}

// Answers draws one respondent's answer vector around level (0..1): ordinal
// positions with noise, "yes" to experience items more often at low levels.
func Answers(in *survey.Instrument, typ string, level float64, rng *rand.Rand) []byte {
	vec := make([]byte, len(in.Items))
	for j, it := range in.Items {
		if !it.For(typ) {
			continue
		}
		switch it.Scale.Kind {
		case survey.KindOrdinal:
			x := min(1, max(0, level+rng.NormFloat64()*0.15))
			pos := 1 + int(x*float64(it.Scale.Points-1)+0.5)
			if it.Reverse {
				pos = it.Scale.Points + 1 - pos
			}
			vec[j] = byte(pos)
		case survey.KindExperience:
			vec[j] = survey.AnswerNo
			if rng.Float64() < (1-level)*0.4 {
				vec[j] = survey.AnswerYes
			}
		}
	}
	return vec
}
