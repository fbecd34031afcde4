package survey

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// MCPAreaCodes are KPK's eight MCP areas (the codes of analysis.MCPAreas).
var mcpAreaCodes = []string{"perencanaan_penganggaran", "pengadaan", "pelayanan_publik", "apip",
	"manajemen_asn", "pajak_daerah", "barang_milik_daerah", "dana_desa"}

// MCPScore is one stored MCP score; Unit is "" for the government as a whole.
type MCPScore struct {
	Year  int
	Area  string
	Unit  string
	Score float64
}

// PMPRBScore is one stored PMPRB score of a unit.
type PMPRBScore struct {
	Year  int
	Unit  string
	Score float64
}

// ParseMCPCSV reads MCP scores with the header year,area,score and an
// optional unit column (empty: the area's score for the whole government).
// units holds the known unit codes.
func ParseMCPCSV(name string, r io.Reader, units map[string]bool) ([]MCPScore, error) {
	t, err := newTable(name, r, []string{"year", "area", "score"}, []string{"unit"})
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	var out []MCPScore
	for rec, ok := t.next(); ok; rec, ok = t.next() {
		m := MCPScore{Year: t.year(rec), Area: lower(t.get(rec, "area")), Unit: t.get(rec, "unit"), Score: t.score(rec)}
		if !containsString(mcpAreaCodes, m.Area) {
			t.fail("area", "import.mcp.area", "Value", quote(m.Area), "Areas", strings.Join(mcpAreaCodes, ", "))
		}
		if m.Unit != "" && !units[m.Unit] {
			t.fail("unit", "import.unit.unknown", "Value", quote(m.Unit))
		}
		key := fmt.Sprint(m.Year, "/", m.Area, "/", m.Unit)
		if first, dup := seen[key]; dup {
			t.fail("area", "import.mcp.twice", "Line", first)
		}
		seen[key] = t.line
		out = append(out, m)
	}
	return out, t.err()
}

// ParsePMPRBCSV reads PMPRB scores with the header year,unit,score.
func ParsePMPRBCSV(name string, r io.Reader, units map[string]bool) ([]PMPRBScore, error) {
	t, err := newTable(name, r, []string{"year", "unit", "score"}, []string{})
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	var out []PMPRBScore
	for rec, ok := t.next(); ok; rec, ok = t.next() {
		p := PMPRBScore{Year: t.year(rec), Unit: t.get(rec, "unit"), Score: t.score(rec)}
		if !units[p.Unit] {
			t.fail("unit", "import.unit.unknown", "Value", quote(p.Unit))
		}
		key := fmt.Sprint(p.Year, "/", p.Unit)
		if first, dup := seen[key]; dup {
			t.fail("unit", "import.pmprb.twice", "Line", first)
		}
		seen[key] = t.line
		out = append(out, p)
	}
	return out, t.err()
}

// year parses the year column (2000–2100).
func (t *table) year(rec []string) int {
	v := t.get(rec, "year")
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		t.fail("year", "import.year", "Value", quote(v))
	}
	return y
}

// score parses a 0–100 score; a decimal comma (84,73) is accepted, as
// Indonesian spreadsheets write it.
func (t *table) score(rec []string) float64 {
	v := t.get(rec, "score")
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > 100 {
		t.fail("score", "import.score", "Value", quote(v))
	}
	return f
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// unitCodes returns every known unit code.
func (s *Store) unitCodes(ctx context.Context) (map[string]bool, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT code FROM units`)
	if err != nil {
		return nil, fmt.Errorf("survey: unit codes: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// ImportMCPCSV parses MCP scores and stores them in one transaction, all or
// none; a score already stored for the same year, area and unit is replaced.
func (s *Store) ImportMCPCSV(ctx context.Context, name string, r io.Reader) (int, error) {
	units, err := s.unitCodes(ctx)
	if err != nil {
		return 0, err
	}
	rows, err := ParseMCPCSV(name, r, units)
	if err != nil {
		return 0, err
	}
	now := stamp(s.now())
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, m := range rows {
			if _, err := tx.ExecContext(ctx, `INSERT INTO mcp_scores (year, area, unit_code, score, imported_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (year, area, unit_code) DO UPDATE SET score = excluded.score, imported_at = excluded.imported_at`,
				m.Year, m.Area, m.Unit, m.Score, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("survey: import MCP: %w", err)
	}
	return len(rows), nil
}

// ImportPMPRBCSV parses PMPRB scores and stores them, all or none.
func (s *Store) ImportPMPRBCSV(ctx context.Context, name string, r io.Reader) (int, error) {
	units, err := s.unitCodes(ctx)
	if err != nil {
		return 0, err
	}
	rows, err := ParsePMPRBCSV(name, r, units)
	if err != nil {
		return 0, err
	}
	now := stamp(s.now())
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, p := range rows {
			if _, err := tx.ExecContext(ctx, `INSERT INTO pmprb_scores (year, unit_code, score, imported_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (year, unit_code) DO UPDATE SET score = excluded.score, imported_at = excluded.imported_at`,
				p.Year, p.Unit, p.Score, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("survey: import PMPRB: %w", err)
	}
	return len(rows), nil
}

// MCPScores returns every stored MCP score, by year, area and unit.
func (s *Store) MCPScores(ctx context.Context) ([]MCPScore, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT year, area, unit_code, score FROM mcp_scores ORDER BY year, area, unit_code`)
	if err != nil {
		return nil, fmt.Errorf("survey: MCP scores: %w", err)
	}
	defer rows.Close()
	var out []MCPScore
	for rows.Next() {
		var m MCPScore
		if err := rows.Scan(&m.Year, &m.Area, &m.Unit, &m.Score); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// PMPRBScores returns every stored PMPRB score, by year and unit.
func (s *Store) PMPRBScores(ctx context.Context) ([]PMPRBScore, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT year, unit_code, score FROM pmprb_scores ORDER BY year, unit_code`)
	if err != nil {
		return nil, fmt.Errorf("survey: PMPRB scores: %w", err)
	}
	defer rows.Close()
	var out []PMPRBScore
	for rows.Next() {
		var p PMPRBScore
		if err := rows.Scan(&p.Year, &p.Unit, &p.Score); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
