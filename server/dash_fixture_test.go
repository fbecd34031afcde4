package server

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"integritas/assets"
	"integritas/survey"
)

// evilName is a unit name that must come out inert in HTML and spreadsheets.
const evilName = `=HYPERLINK("http://x")<b>x</b>`

// seedResults gives the test period answers a dashboard can show: DINKES
// and DISDIK with every type above k, PKM1 (renamed evilName) with 3
// internal answers (suppressed), a speeder and a straight-liner in DISDIK,
// and an earlier closed period SPI-P for the trend.
func seedResults(t testing.TB, st *survey.Store, p *survey.Period) {
	t.Helper()
	ctx := context.Background()
	prev, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: "SPI-P", Name: "SPI Lalu", Instrument: assets.DefaultInstrument(), OpensOn: "2025-07-01", ClosesOn: "2025-09-30"})
	if err != nil {
		t.Fatal(err)
	}
	units := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
		"DINKES,Dinas Kesehatan,,kadinkes@example.go.id,120,5000,10\n" +
		"DISDIK,Dinas Pendidikan,,kadisdik@example.go.id,200,8000,10\n"
	if _, err := st.ImportUnitsCSV(ctx, prev, "units.csv", strings.NewReader(units)); err != nil {
		t.Fatal(err)
	}
	pkm, err := st.Unit(ctx, p.ID, "PKM1")
	if err != nil {
		t.Fatal(err)
	}
	pkm.Name = evilName
	if err := st.UpdateUnit(ctx, p.ID, pkm); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	fill := func(per *survey.Period, code, typ string, n int, level float64) {
		u, err := st.Unit(ctx, per.ID, code)
		if err != nil {
			t.Fatal(err)
		}
		rs := make([]survey.NewResponse, 0, n)
		for i := range n {
			rs = append(rs, survey.NewResponse{PeriodID: per.ID, UnitID: u.ID, Type: typ, Channel: survey.ChannelInvitation,
				Submitted: time.Date(2026, 6, 1+i%10, 9+i%8, 0, 0, 0, time.UTC), Duration: 600 + rng.IntN(300),
				Answers: survey.Answers{Vector: answers(per.Instrument, typ, level, rng)}})
		}
		if err := st.InsertResponses(ctx, rs); err != nil {
			t.Fatal(err)
		}
	}
	for _, per := range []*survey.Period{prev, p} {
		shift := 0.0
		if per == prev {
			shift = -0.05
		}
		fill(per, "DINKES", survey.Internal, 30, 0.80+shift)
		fill(per, "DINKES", survey.External, 30, 0.75+shift)
		fill(per, "DINKES", survey.Expert, 6, 0.70+shift)
		fill(per, "DISDIK", survey.Internal, 25, 0.62+shift)
		fill(per, "DISDIK", survey.External, 20, 0.66+shift)
	}
	fill(p, "PKM1", survey.Internal, 3, 0.9)
	// A speeder and a straight-liner in DISDIK.
	u, _ := st.Unit(ctx, p.ID, "DISDIK")
	flat := make([]byte, len(p.Instrument.Items))
	for i, it := range p.Instrument.Items {
		if it.For(survey.Internal) && it.Scale.Kind == survey.KindOrdinal {
			flat[i] = 2
		}
	}
	bad := []survey.NewResponse{
		{PeriodID: p.ID, UnitID: u.ID, Type: survey.Internal, Channel: survey.ChannelInvitation, Submitted: time.Date(2026, 6, 3, 10, 0, 0, 0, time.UTC),
			Duration: 40, Answers: survey.Answers{Vector: answers(p.Instrument, survey.Internal, 0.6, rng)}},
		{PeriodID: p.ID, UnitID: u.ID, Type: survey.Internal, Channel: survey.ChannelInvitation, Submitted: time.Date(2026, 6, 4, 10, 0, 0, 0, time.UTC),
			Duration: 700, Answers: survey.Answers{Vector: flat}},
	}
	if err := st.InsertResponses(ctx, bad); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{prev.Code} {
		if err := st.SetPeriodStatus(ctx, c, survey.StatusOpen); err != nil {
			t.Fatal(err)
		}
		if err := st.SetPeriodStatus(ctx, c, survey.StatusClosed); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.AddCorrection(ctx, survey.Correction{PeriodID: p.ID, UnitCode: "DISDIK", Kind: "complaints", Points: 1.5,
		Reason: "Pengaduan pungutan liar", Evidence: "Laporan 3/2026", SetBy: "inspektur@example.go.id"}); err != nil {
		t.Fatal(err)
	}
}

// answers draws an answer vector of a type around an integrity level 0–1.
func answers(inst *survey.Instrument, typ string, level float64, rng *rand.Rand) []byte {
	vec := make([]byte, len(inst.Items))
	for j, it := range inst.Items {
		if !it.For(typ) {
			continue
		}
		switch it.Scale.Kind {
		case survey.KindOrdinal:
			x := min(1, max(0, level+rng.NormFloat64()*0.18))
			if it.Reverse {
				x = 1 - x
			}
			vec[j] = byte(1 + int(x*float64(it.Scale.Points-1)+0.5))
		case survey.KindExperience:
			vec[j] = survey.AnswerNo
			if rng.Float64() < (1-level)*0.5 {
				vec[j] = survey.AnswerYes
			}
		}
	}
	return vec
}
