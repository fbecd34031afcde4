package analysis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
)

// Settings are the method settings of a period; every JSON key is optional.
type Settings struct {
	// Method is the method version; Compute always states MethodVersion.
	Method string `json:"method"`
	// TypeWeights weigh the components in the index; empty means equal across
	// the types the instrument asks. Results state the resolved weights.
	TypeWeights map[string]float64 `json:"type_weights,omitempty"`
	// ElementWeights override the instrument's element weights.
	ElementWeights map[string]float64 `json:"element_weights,omitempty"`
	Categories     Categories         `json:"categories"`
	MinGroup       int                `json:"min_group"`      // k, default 5, never below 3
	MinGroupText   int                `json:"min_group_text"` // k_text for free-text counts, default 10
	CorrectionCap  float64            `json:"correction_cap"` // index points, default 20
	// IncludeFlagged is ignored since spi-method v2 (every response counts
	// unless a recorded Exclusion removes it); still read so the stored
	// settings of earlier periods parse.
	IncludeFlagged bool    `json:"include_flagged,omitempty"`
	TargetMargin   float64 `json:"target_margin"`  // index points, default 5
	MaxMargin      float64 `json:"max_margin"`     // index points, default 10: flag "sample_insufficient" above
	HotSpotShare   float64 `json:"hot_spot_share"` // default 0.10
	Weighting      string  `json:"weighting"`      // "none" (default) or "poststrat"
	// MinCell is the least number of respondents of a post-stratification
	// cell; thinner bands merge with their neighbours in the roster's band
	// order until every cell holds at least this many (§4). Default 20.
	MinCell int `json:"min_cell"`
	// FDR is the Benjamini–Hochberg false discovery rate over the period's
	// family of tests (risk deficits and hot spots against the rest of the
	// city). Default 0.05.
	FDR float64 `json:"fdr"`

	SpeederFraction      float64 `json:"speeder_fraction"`       // default 1/3 of the median duration
	StraightLineItems    int     `json:"straight_line_items"`    // default 10
	DuplicateWindowHours int     `json:"duplicate_window_hours"` // default 24
	CoachingAgreement    float64 `json:"coaching_agreement"`     // default 0.95
	CoachingItems        int     `json:"coaching_items"`         // default 10 commonly answered items
	CoachingWindowHours  int     `json:"coaching_window_hours"`  // default 6: coaching happens in a sitting
	CoachingMinSize      int     `json:"coaching_min_size"`      // default 5
	CoachingMinShare     float64 `json:"coaching_min_share"`     // default 0.20 of the unit-type's responses
	CoachingPermutations int     `json:"coaching_permutations"`  // default 200
	CoachingQuantile     float64 `json:"coaching_quantile"`      // default 0.99
	Seed                 uint64  `json:"seed"`                   // default 1; seeds the permutations

	MCP MCPSettings `json:"mcp"` // paper (MCP) against lived (SPI): see crossref_settings.go
}

// Weighting schemes.
const (
	WeightingNone      = "none"
	WeightingPoststrat = "poststrat"
)

// DefaultSettings returns the documented defaults.
func DefaultSettings() Settings {
	cats, _ := PresetCategories("kpk2025")
	return Settings{
		Method:               MethodVersion,
		Categories:           cats,
		MinGroup:             5,
		MinGroupText:         10,
		CorrectionCap:        20,
		TargetMargin:         5,
		MaxMargin:            10,
		HotSpotShare:         0.10,
		Weighting:            WeightingNone,
		MinCell:              20,
		FDR:                  0.05,
		SpeederFraction:      1.0 / 3,
		StraightLineItems:    10,
		DuplicateWindowHours: 24,
		CoachingAgreement:    0.95,
		CoachingItems:        10,
		CoachingWindowHours:  6,
		CoachingMinSize:      5,
		CoachingMinShare:     0.20,
		CoachingPermutations: 200,
		CoachingQuantile:     0.99,
		Seed:                 1,
		MCP:                  DefaultMCP(),
	}
}

// ParseSettings reads settings JSON over the defaults and validates them,
// reporting every problem with its key.
func ParseSettings(data []byte) (Settings, error) {
	s := DefaultSettings()
	if len(bytes.TrimSpace(data)) == 0 {
		return s, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return s, fmt.Errorf("analysis: settings: %w", err)
	}
	known := map[string]bool{}
	var probs []string
	for _, f := range settingFields(&s) {
		known[f.key] = true
		msg, ok := raw[f.key]
		if !ok {
			continue
		}
		if err := json.Unmarshal(msg, f.ptr); err != nil {
			probs = append(probs, fmt.Sprintf("%s: %v", f.key, err))
		}
	}
	for k := range raw {
		if !known[k] {
			probs = append(probs, fmt.Sprintf("%s: unknown setting", k))
		}
	}
	s.Categories.normalize()
	probs = append(probs, s.problems()...)
	if len(probs) > 0 {
		sort.Strings(probs)
		errs := make([]error, len(probs))
		for i, p := range probs {
			errs[i] = fmt.Errorf("analysis: settings: %s", p)
		}
		return s, errors.Join(errs...)
	}
	return s, nil
}

type settingField struct {
	key string
	ptr any
}

func settingFields(s *Settings) []settingField {
	return []settingField{
		{"method", &s.Method}, {"min_cell", &s.MinCell}, {"fdr", &s.FDR},
		{"type_weights", &s.TypeWeights}, {"element_weights", &s.ElementWeights},
		{"categories", &s.Categories}, {"min_group", &s.MinGroup},
		{"min_group_text", &s.MinGroupText}, {"correction_cap", &s.CorrectionCap},
		{"include_flagged", &s.IncludeFlagged}, {"target_margin", &s.TargetMargin},
		{"max_margin", &s.MaxMargin}, {"hot_spot_share", &s.HotSpotShare},
		{"weighting", &s.Weighting}, {"speeder_fraction", &s.SpeederFraction},
		{"straight_line_items", &s.StraightLineItems},
		{"duplicate_window_hours", &s.DuplicateWindowHours},
		{"coaching_agreement", &s.CoachingAgreement}, {"coaching_items", &s.CoachingItems},
		{"coaching_window_hours", &s.CoachingWindowHours},
		{"coaching_min_size", &s.CoachingMinSize}, {"coaching_min_share", &s.CoachingMinShare},
		{"coaching_permutations", &s.CoachingPermutations},
		{"coaching_quantile", &s.CoachingQuantile}, {"seed", &s.Seed},
		{"mcp", &s.MCP},
	}
}

// Validate reports every problem of the settings, each with its key.
func (s Settings) Validate() error {
	probs := s.problems()
	if len(probs) == 0 {
		return nil
	}
	errs := make([]error, len(probs))
	for i, p := range probs {
		errs[i] = fmt.Errorf("analysis: settings: %s", p)
	}
	return errors.Join(errs...)
}

func (s Settings) problems() []string {
	var out []string
	bad := func(key, format string, args ...any) {
		out = append(out, key+": "+fmt.Sprintf(format, args...))
	}
	// Weights are relative; a bound keeps squared weights (in the composite
	// SE) far from overflow, which turned an index into null.
	const maxWeight = 1000
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if len(s.TypeWeights) > 0 {
		sum := 0.0
		for _, t := range sortedKeys(s.TypeWeights) {
			w := s.TypeWeights[t]
			if TypeIndex(t) < 0 {
				bad("type_weights", "unknown respondent type %q", t)
			}
			if !finite(w) || w < 0 || w > maxWeight {
				bad("type_weights", "%s: weight must be a finite number from 0 to 1000", t)
			} else {
				sum += w
			}
		}
		if sum <= 0 {
			bad("type_weights", "at least one weight must be positive")
		}
	}
	for _, e := range sortedKeys(s.ElementWeights) {
		if w := s.ElementWeights[e]; !finite(w) || w < 0 || w > maxWeight {
			bad("element_weights", "%s: weight must be a finite number from 0 to 1000", e)
		}
	}
	for _, p := range s.Categories.problems() {
		bad("categories", "%s", p)
	}
	if s.MinGroup < 3 {
		bad("min_group", "must be at least 3 (got %d)", s.MinGroup)
	}
	if s.MinGroupText < s.MinGroup {
		bad("min_group_text", "must be at least min_group (got %d)", s.MinGroupText)
	}
	if !finite(s.CorrectionCap) || s.CorrectionCap < 0 || s.CorrectionCap > 100 {
		bad("correction_cap", "must lie in 0–100")
	}
	if !finite(s.TargetMargin) || s.TargetMargin <= 0 || s.TargetMargin > 50 {
		bad("target_margin", "must lie in (0, 50]")
	}
	if !finite(s.MaxMargin) || s.MaxMargin < s.TargetMargin || s.MaxMargin > 50 {
		bad("max_margin", "must lie between target_margin and 50")
	}
	if !finite(s.HotSpotShare) || s.HotSpotShare <= 0 || s.HotSpotShare > 1 {
		bad("hot_spot_share", "must lie in (0, 1]")
	}
	if s.MinCell < 2 {
		bad("min_cell", "must be at least 2 (got %d)", s.MinCell)
	}
	if !finite(s.FDR) || s.FDR <= 0 || s.FDR >= 1 {
		bad("fdr", "must lie in (0, 1)")
	}
	if s.Weighting != WeightingNone && s.Weighting != WeightingPoststrat {
		bad("weighting", "must be %q or %q", WeightingNone, WeightingPoststrat)
	}
	if !finite(s.SpeederFraction) || s.SpeederFraction <= 0 || s.SpeederFraction >= 1 {
		bad("speeder_fraction", "must lie in (0, 1)")
	}
	if s.StraightLineItems < 2 {
		bad("straight_line_items", "must be at least 2")
	}
	if s.DuplicateWindowHours < 0 {
		bad("duplicate_window_hours", "must be ≥ 0")
	}
	if !finite(s.CoachingAgreement) || s.CoachingAgreement <= 0.5 || s.CoachingAgreement > 1 {
		bad("coaching_agreement", "must lie in (0.5, 1]")
	}
	if s.CoachingItems < 2 {
		bad("coaching_items", "must be at least 2")
	}
	if s.CoachingWindowHours < 0 {
		bad("coaching_window_hours", "must be ≥ 0")
	}
	if s.CoachingMinSize < 2 {
		bad("coaching_min_size", "must be at least 2")
	}
	if !finite(s.CoachingMinShare) || s.CoachingMinShare < 0 || s.CoachingMinShare > 1 {
		bad("coaching_min_share", "must lie in [0, 1]")
	}
	if s.CoachingPermutations < 1 || s.CoachingPermutations > 100000 {
		bad("coaching_permutations", "must lie in 1–100000")
	}
	if !finite(s.CoachingQuantile) || s.CoachingQuantile <= 0 || s.CoachingQuantile > 1 {
		bad("coaching_quantile", "must lie in (0, 1]")
	}
	out = append(out, s.MCP.problems()...)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
