package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"integritas/survey"
)

// Current and Previous are the demo's period codes.
const (
	Current  = "SPI-2026"
	Previous = "SPI-2025"
)

// Options set the seed and the clock of a build.
type Options struct {
	Seed       uint64
	Now        time.Time
	Instrument []byte // the instrument JSON both periods use
}

// Summary tells what Build made.
type Summary struct {
	Units     int
	Roster    int
	Responses map[string]int // by period code
}

// ErrExists means the demo city is already in the store.
var ErrExists = errors.New("demo: the demo city already exists")

// Build creates the demo city: both periods, their units, the current
// period's rosters, responses, and a few correction factors.
func Build(ctx context.Context, st *survey.Store, opt Options) (Summary, error) {
	if _, err := st.Period(ctx, Current); err == nil {
		return Summary{}, ErrExists
	}
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x5eed))
	sum := Summary{Units: len(city), Responses: map[string]int{}}
	periods := []struct {
		code, name, opens, closes string
		shift, share              float64
	}{
		{Previous, "SPI 2025", "2025-07-01", "2025-09-30", -0.035, 0.8},
		{Current, "SPI 2026", "2026-07-01", "2026-12-31", 0, 1},
	}
	for _, pd := range periods {
		p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: pd.code, Name: pd.name, Instrument: opt.Instrument,
			Settings: json.RawMessage(`{}`), OpensOn: pd.opens, ClosesOn: pd.closes})
		if err != nil {
			return sum, err
		}
		if err := st.ImportUnits(ctx, p.ID, frames()); err != nil {
			return sum, err
		}
		units, err := st.Units(ctx, p.ID)
		if err != nil {
			return sum, err
		}
		ids := map[string]int64{}
		for _, u := range units {
			ids[u.Code] = u.ID
		}
		opens, _ := time.Parse(time.DateOnly, pd.opens)
		closes, _ := time.Parse(time.DateOnly, pd.closes)
		if closes.After(opt.Now) {
			closes = opt.Now
		}
		g := &generator{rng: rng, inst: p.Instrument, period: p.ID, from: opens.Add(8 * time.Hour), to: closes}
		var rs []survey.NewResponse
		for _, u := range city {
			rs = append(rs, g.unit(u, ids[u.code], pd.shift, pd.share)...)
		}
		// One coached cluster per period (spi-method §6): DISHUB's is under
		// review now; DPMPTSP's led the Inspectorate to withhold its 2025 index.
		rs = append(rs, g.coached(ids[coachedUnit[pd.code]])...)
		if pd.code == Current {
			rs = append(rs, g.duplicates(ids["DISDUKCAPIL"])...)
			n, err := roster(ctx, st, p.ID, rng)
			if err != nil {
				return sum, err
			}
			sum.Roster = n
		}
		if err := st.InsertResponses(ctx, rs); err != nil {
			return sum, err
		}
		sum.Responses[pd.code] = len(rs)
		if err := st.SetPeriodStatus(ctx, pd.code, survey.StatusOpen); err != nil {
			return sum, err
		}
		if pd.code == Previous {
			if err := withhold(ctx, st, p.ID); err != nil {
				return sum, err
			}
			if err := st.SetPeriodStatus(ctx, pd.code, survey.StatusClosed); err != nil {
				return sum, err
			}
		}
		if err := corrections(ctx, st, p.ID, pd.code); err != nil {
			return sum, err
		}
	}
	if err := mcp(ctx, st); err != nil { // MCP and PMPRB beside the SPI (demo/mcp.go)
		return sum, err
	}
	return sum, users(ctx, st)
}

// coachedUnit is the unit with a coached cluster in each period.
var coachedUnit = map[string]string{Current: "DISHUB", Previous: "DPMPTSP"}

// WithheldReason is why the demo's 2025 DPMPTSP index is withheld.
const WithheldReason = "Pengkondisian responden: 12 jawaban identik dalam 3 jam; berita acara klarifikasi Inspektorat No. 700/45/2025"

// withhold records the Inspectorate's decision on the previous period's
// coached cluster: the unit's index is published as "ditangguhkan".
func withhold(ctx context.Context, st *survey.Store, periodID int64) error {
	_, err := st.AddDecision(ctx, survey.Decision{PeriodID: periodID, UnitCode: coachedUnit[Previous], Action: survey.DecisionWithhold,
		Reason: WithheldReason, DecidedBy: "inspektorat@sukamaju.go.id"})
	return err
}

// frames lists the city's units with their population frames.
func frames() []survey.Unit {
	out := make([]survey.Unit, 0, len(city))
	for _, u := range city {
		pop := map[string]int{survey.Internal: u.internalN, survey.External: u.externalN}
		if u.expertResp > 0 {
			pop[survey.Expert] = 10
		}
		head := fmt.Sprintf("kepala.%s@sukamaju.go.id", lowerCode(u.code))
		out = append(out, survey.Unit{Code: u.code, Name: u.name, ParentCode: u.parent, HeadName: "Kepala " + u.name,
			HeadEmail: head, Population: pop})
	}
	return out
}

func corrections(ctx context.Context, st *survey.Store, periodID int64, code string) error {
	items := []survey.Correction{
		{UnitCode: "DPUPR", Kind: "law_enforcement", Points: 3.5, Reason: "SPDP perkara pengadaan peningkatan jalan lingkar 2025", Evidence: "SPDP Kejari Sukamaju No. 12/2026"},
		{UnitCode: "BAPENDA", Kind: "complaints", Points: 1.2, Reason: "6 pengaduan pungutan liar PBB terbukti", Evidence: "Laporan pengaduan masyarakat, Inspektorat"},
	}
	if code == Previous {
		items = items[1:]
	}
	for _, c := range items {
		c.PeriodID, c.SetBy = periodID, "inspektorat@sukamaju.go.id"
		if _, err := st.AddCorrection(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// roster imports an internal staff roster for every unit.
func roster(ctx context.Context, st *survey.Store, periodID int64, rng *rand.Rand) (int, error) {
	var es []survey.RosterEntry
	for _, u := range city {
		for i := 0; i < u.internalN; i++ {
			first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
			yi, yu := 1+rng.Float64()*25, rng.Float64()*8
			e := survey.RosterEntry{UnitCode: u.code, Type: survey.Internal, Name: first + " " + last,
				Email: fmt.Sprintf("%s.%s%d@sukamaju.go.id", lowerCode(first), lowerCode(last), i),
				Grade: grades[rng.IntN(len(grades))], YearsInstitution: round1(yi), YearsUnit: round1(yu), Role: "staf"}
			if i == 0 {
				e.Role = "kepala"
			}
			es = append(es, e)
		}
	}
	return len(es), st.ImportRoster(ctx, periodID, es)
}

func round1(v float64) *float64 { r := math.Round(v*10) / 10; return &r }

func lowerCode(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'A' <= c && c <= 'Z':
			b[i] = c + 32
		case c == ' ':
			b[i] = '.'
		}
	}
	return string(b)
}
