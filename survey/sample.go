package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"
	"time"
)

// SampleRequest asks for a seeded random draw from the rosters of a period.
type SampleRequest struct {
	Units  []string // unit codes; empty: every unit of the period with a roster
	Types  []string // internal and/or expert; empty: both
	Margin float64  // target margin of error in index points, (0, 10]
	Seed   uint64
	By     string
	// Size is the sample a population of N needs for the margin
	// (analysis.RequiredSampleSize); it is clamped to 0..N.
	Size func(N int, margin float64) int
}

// Sample is one recorded draw from a unit's roster of one type.
type Sample struct {
	ID         int64
	PeriodID   int64
	UnitCode   string
	Type       string
	Seed       uint64
	Margin     float64
	Population int // eligible roster rows (no frame warning)
	Size       int
	DrawnAt    time.Time
	DrawnBy    string
	Members    []SampleMember
}

// SampleMember is a drawn person.
type SampleMember struct {
	Position     int
	RosterID     int64
	Name         string
	Email        string
	Phone        string
	InvitationID int64 // 0 until invited
}

// ErrBadSample means the request's margin, types or seed are unusable.
var ErrBadSample = errors.New("survey: invalid sample request")

// DrawSample draws and records a sample per unit and type, in one
// transaction. Rows with a frame warning (§1) are not eligible. The draw
// depends only on the seed, the unit, the type and the eligible rows (in
// name, e-mail, phone order), so ReplaySample repeats it exactly.
func (s *Store) DrawSample(ctx context.Context, periodID int64, req SampleRequest) ([]Sample, error) {
	if !(req.Margin > 0 && req.Margin <= 10) || req.Size == nil {
		return nil, fmt.Errorf("margin %v must be above 0 and at most 10 points: %w", req.Margin, ErrBadSample)
	}
	types := req.Types
	if len(types) == 0 {
		types = []string{Internal, Expert}
	}
	for _, t := range types {
		if t != Internal && t != Expert {
			return nil, fmt.Errorf("type %q: only internal and expert rosters are sampled: %w", t, ErrBadSample)
		}
	}
	var out []Sample
	now := s.now()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		units := req.Units
		if len(units) == 0 {
			var err error
			if units, err = rosterUnits(ctx, tx, periodID); err != nil {
				return err
			}
		}
		for _, code := range units {
			var unitID int64
			err := tx.QueryRowContext(ctx, `SELECT u.id FROM units u JOIN period_units pu ON pu.unit_id = u.id WHERE pu.period_id = ? AND u.code = ?`,
				periodID, code).Scan(&unitID)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("unit %q is not in the period: %w", code, ErrNotFound)
			}
			if err != nil {
				return err
			}
			for _, typ := range types {
				pool, err := eligible(ctx, tx, periodID, unitID, typ)
				if err != nil {
					return err
				}
				smp := Sample{PeriodID: periodID, UnitCode: code, Type: typ, Seed: req.Seed, Margin: req.Margin,
					Population: len(pool), DrawnAt: now.UTC().Truncate(time.Second), DrawnBy: req.By}
				smp.Size = min(max(req.Size(len(pool), req.Margin), 0), len(pool))
				smp.Members = draw(pool, req.Seed, code, typ, smp.Size)
				if err := insertSample(ctx, tx, unitID, &smp); err != nil {
					return err
				}
				out = append(out, smp)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey: draw sample: %w", err)
	}
	return out, nil
}

func rosterUnits(ctx context.Context, tx *sql.Tx, periodID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT u.code FROM roster r JOIN units u ON u.id = r.unit_id WHERE r.period_id = ? ORDER BY u.code`, periodID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// eligible lists a unit's roster rows of a type without a frame warning, in
// a content order that does not depend on row ids.
func eligible(ctx context.Context, tx *sql.Tx, periodID, unitID int64, typ string) ([]SampleMember, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, email, phone FROM roster
		WHERE period_id = ? AND unit_id = ? AND respondent_type = ? AND warning = ''`, periodID, unitID, typ)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SampleMember
	for rows.Next() {
		var m SampleMember
		if err := rows.Scan(&m.RosterID, &m.Name, &m.Email, &m.Phone); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Email != b.Email {
			return a.Email < b.Email
		}
		return a.Phone < b.Phone
	})
	return out, rows.Err()
}

// draw takes n members by a partial Fisher–Yates shuffle seeded by the
// request's seed and the unit and type, so every unit's draw stands alone.
func draw(pool []SampleMember, seed uint64, unit, typ string, n int) []SampleMember {
	h := fnv.New64a()
	h.Write([]byte(unit + "\x00" + typ))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	idx := make([]int, len(pool))
	for i := range idx {
		idx[i] = i
	}
	out := make([]SampleMember, n)
	for i := 0; i < n; i++ {
		j := i + rng.IntN(len(idx)-i)
		idx[i], idx[j] = idx[j], idx[i]
		out[i] = pool[idx[i]]
		out[i].Position = i
	}
	return out
}

func insertSample(ctx context.Context, tx *sql.Tx, unitID int64, smp *Sample) error {
	id, err := insertID(ctx, tx, `INSERT INTO samples (period_id, unit_id, respondent_type, seed, margin, population, size, drawn_at, drawn_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, smp.PeriodID, unitID, smp.Type, int64(smp.Seed), smp.Margin, smp.Population, smp.Size,
		stamp(smp.DrawnAt), smp.DrawnBy)
	if err != nil {
		return fmt.Errorf("sample of %s/%s: %w", smp.UnitCode, smp.Type, err)
	}
	smp.ID = id
	for _, m := range smp.Members {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sample_members (sample_id, roster_id, position) VALUES (?, ?, ?)`,
			smp.ID, m.RosterID, m.Position); err != nil {
			return err
		}
	}
	return nil
}

// ReplaySample draws a recorded sample again from its seed over the roster as
// it is now; the result equals the recorded members while the roster is unchanged.
func (s *Store) ReplaySample(ctx context.Context, smp Sample) ([]SampleMember, error) {
	var out []SampleMember
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var unitID int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM units WHERE code = ?`, smp.UnitCode).Scan(&unitID); err != nil {
			return err
		}
		pool, err := eligible(ctx, tx, smp.PeriodID, unitID, smp.Type)
		if err != nil {
			return err
		}
		if len(pool) < smp.Size {
			return fmt.Errorf("the roster now has %d eligible rows, the sample took %d: %w", len(pool), smp.Size, ErrConflict)
		}
		out = draw(pool, smp.Seed, smp.UnitCode, smp.Type, smp.Size)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey: replay sample %d: %w", smp.ID, err)
	}
	return out, nil
}
