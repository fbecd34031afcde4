package analysis

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Label is a bilingual text.
type Label struct {
	ID string `json:"id"`
	EN string `json:"en"`
}

// Band is one index category: it holds indices from From up to the next band's From.
type Band struct {
	Slug  string  `json:"slug"`
	From  float64 `json:"from"`
	Label Label   `json:"label"`
	Risk  bool    `json:"risk,omitempty"` // "Rentan or below": scores here make a risk element
}

// Categories is a preset name ("kpk2025", "kpk2022") or a list of custom bands.
type Categories struct {
	Preset string
	Bands  []Band
}

// errUnknownPreset reports a category preset name that does not exist.
var errUnknownPreset = errors.New("unknown preset")

func presetBands(name string) ([]Band, bool) {
	sangat := Band{Slug: "sangat_rentan", Label: Label{ID: "Sangat Rentan", EN: "Highly vulnerable"}, Risk: true}
	rentan := Band{Slug: "rentan", Label: Label{ID: "Rentan", EN: "Vulnerable"}, Risk: true}
	waspada := Band{Slug: "waspada", Label: Label{ID: "Waspada", EN: "Alert"}}
	terjaga := Band{Slug: "terjaga", Label: Label{ID: "Terjaga", EN: "Maintained"}}
	switch name {
	case "kpk2025":
		waspada.From, terjaga.From = 73.0, 78.0
		return []Band{rentan, waspada, terjaga}, true
	case "kpk2022":
		rentan.From, waspada.From, terjaga.From = 68.0, 73.7, 77.5
		return []Band{sangat, rentan, waspada, terjaga}, true
	}
	return nil, false
}

// PresetCategories returns a category preset ("kpk2025" or "kpk2022").
func PresetCategories(name string) (Categories, error) {
	b, ok := presetBands(name)
	if !ok {
		return Categories{}, fmt.Errorf("analysis: categories %q: %w", name, errUnknownPreset)
	}
	return Categories{Preset: name, Bands: b}, nil
}

// MarshalJSON writes the preset name, or the custom bands.
func (c Categories) MarshalJSON() ([]byte, error) {
	if c.Preset != "" {
		return json.Marshal(c.Preset)
	}
	return json.Marshal(c.Bands)
}

// UnmarshalJSON reads a preset name or a list of bands.
func (c *Categories) UnmarshalJSON(data []byte) error {
	var name string
	if err := json.Unmarshal(data, &name); err == nil {
		b, ok := presetBands(name)
		if !ok {
			return fmt.Errorf("%q: %w", name, errUnknownPreset)
		}
		*c = Categories{Preset: name, Bands: b}
		return nil
	}
	var bands []Band
	if err := json.Unmarshal(data, &bands); err != nil {
		return errors.New("must be a preset name or a list of {slug, from, label}")
	}
	*c = Categories{Bands: bands}
	return nil
}

// normalize marks the risk bands of custom bands that mark none: the bands
// slugged sangat_rentan or rentan, else the lowest band.
func (c *Categories) normalize() {
	for _, b := range c.Bands {
		if b.Risk {
			return
		}
	}
	marked := false
	for i := range c.Bands {
		if c.Bands[i].Slug == "sangat_rentan" || c.Bands[i].Slug == "rentan" {
			c.Bands[i].Risk, marked = true, true
		}
	}
	if !marked && len(c.Bands) > 0 {
		c.Bands[0].Risk = true
	}
}

// bands returns the bands, a preset's when only its name is set.
func (c Categories) bands() []Band {
	if len(c.Bands) == 0 {
		if b, ok := presetBands(c.Preset); ok {
			return b
		}
	}
	return c.Bands
}

// problems lists what is wrong with the bands.
func (c Categories) problems() []string {
	var out []string
	if c.Preset != "" {
		if _, ok := presetBands(c.Preset); !ok {
			return append(out, fmt.Sprintf("unknown preset %q", c.Preset))
		}
	}
	c.Bands = c.bands()
	if len(c.Bands) < 2 {
		return append(out, "need at least two bands")
	}
	if c.Bands[0].From != 0 {
		out = append(out, "the first band must start at 0")
	}
	seen := map[string]bool{}
	riskEnded := false
	for i, b := range c.Bands {
		switch {
		case b.Slug == "":
			out = append(out, fmt.Sprintf("band %d: empty slug", i+1))
		case seen[b.Slug]:
			out = append(out, fmt.Sprintf("band %d: duplicate slug %q", i+1, b.Slug))
		}
		seen[b.Slug] = true
		if b.Label.ID == "" || b.Label.EN == "" {
			out = append(out, fmt.Sprintf("band %d: label needs id and en", i+1))
		}
		if math.IsNaN(b.From) || b.From < 0 || b.From > 100 {
			out = append(out, fmt.Sprintf("band %d: from must lie in 0–100", i+1))
		}
		if i > 0 && !(b.From > c.Bands[i-1].From) {
			out = append(out, fmt.Sprintf("band %d: from must increase", i+1))
		}
		if b.Risk && riskEnded {
			out = append(out, fmt.Sprintf("band %d: risk bands must be the lowest ones", i+1))
		}
		if !b.Risk {
			riskEnded = true
		}
	}
	return out
}

// Category returns the band of an index as published (spi-method §3.9): the
// index is rounded half up to 2 decimals (Round2) first, so 73.699999999999989
// is 73.70 and lies in the band that starts at 73.7.
func Category(s Settings, index float64) Band {
	index = Round2(index)
	bands := s.Categories.bands()
	if len(bands) == 0 {
		bands, _ = presetBands("kpk2025")
	}
	out := bands[0]
	for _, b := range bands[1:] {
		if index >= b.From {
			out = b
		}
	}
	return out
}
