package analysis

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestParseSettingsDefaults(t *testing.T) {
	for _, data := range []string{"", "{}", "  "} {
		s, err := ParseSettings([]byte(data))
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		if !reflect.DeepEqual(s, DefaultSettings()) {
			t.Errorf("%q: got %+v, want defaults", data, s)
		}
	}
	d := DefaultSettings()
	if d.MinGroup != 5 || d.MinGroupText != 10 || d.CorrectionCap != 20 || d.Categories.Preset != "kpk2025" ||
		d.MaxMargin != 10 || d.TargetMargin != 5 || d.HotSpotShare != 0.10 || d.CoachingPermutations != 200 || d.IncludeFlagged {
		t.Errorf("defaults: %+v", d)
	}
}

func TestParseSettingsRoundTrip(t *testing.T) {
	in := `{"type_weights":{"internal":0.5,"external":0.35,"expert":0.15},"element_weights":{"pbj":2},
		"categories":[{"slug":"low","from":0,"label":{"id":"Rendah","en":"Low"}},{"slug":"high","from":70,"label":{"id":"Tinggi","en":"High"}}],
		"min_group":7,"min_group_text":12,"correction_cap":15,"include_flagged":true,"weighting":"poststrat","seed":9}`
	s, err := ParseSettings([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if s.TypeWeights[External] != 0.35 || s.ElementWeights["pbj"] != 2 || s.MinGroup != 7 || !s.IncludeFlagged ||
		s.Weighting != WeightingPoststrat || s.Seed != 9 || len(s.Categories.Bands) != 2 {
		t.Fatalf("parsed %+v", s)
	}
	// no band marked risk and no rentan slug: the lowest band is the risk band
	if !s.Categories.Bands[0].Risk || s.Categories.Bands[1].Risk {
		t.Errorf("risk bands: %+v", s.Categories.Bands)
	}
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseSettings(out)
	if err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if !reflect.DeepEqual(s, back) {
		t.Errorf("round trip:\n%+v\n%+v", s, back)
	}
	def, _ := json.Marshal(DefaultSettings())
	if !strings.Contains(string(def), `"categories":"kpk2025"`) {
		t.Errorf("preset should marshal as its name: %s", def)
	}
}

func TestParseSettingsReportsEveryProblem(t *testing.T) {
	in := `{"min_group":2,"weighting":"raking","type_weights":{"vendor":1},"hot_spot_share":2,
		"categories":"kpk1999","bogus":1,"correction_cap":-1}`
	_, err := ParseSettings([]byte(in))
	if err == nil {
		t.Fatal("no error")
	}
	for _, key := range []string{"min_group", "weighting", "type_weights", "hot_spot_share", "categories", "bogus", "correction_cap"} {
		if !strings.Contains(err.Error(), "analysis: settings: "+key+":") {
			t.Errorf("error does not name %s: %v", key, err)
		}
	}
}

func TestParseSettingsRejects(t *testing.T) {
	tests := map[string]string{
		"min_group":      `{"min_group":2}`,
		"min_group_text": `{"min_group":8,"min_group_text":6}`,
		"type_weights":   `{"type_weights":{"internal":0,"external":0}}`,
		"categories":     `{"categories":[{"slug":"a","from":10,"label":{"id":"A","en":"A"}},{"slug":"b","from":5,"label":{"id":"B","en":"B"}}]}`,
		"max_margin":     `{"target_margin":8,"max_margin":6}`,
	}
	for key, data := range tests {
		t.Run(key, func(t *testing.T) {
			_, err := ParseSettings([]byte(data))
			if err == nil || !strings.Contains(err.Error(), key+":") {
				t.Errorf("got %v, want an error on %s", err, key)
			}
		})
	}
}

func TestCategory(t *testing.T) {
	k25 := DefaultSettings()
	k22 := DefaultSettings()
	k22.Categories, _ = PresetCategories("kpk2022")
	tests := []struct {
		s     Settings
		index float64
		slug  string
		risk  bool
	}{
		{k25, 0, "rentan", true},
		{k25, 72.994999, "rentan", true},   // published 72.99
		{k25, 72.999999, "waspada", false}, // published 73.00: never printed as Rentan
		{k22, 73.699999999999989, "waspada", false},
		{k22, 0.1 * 737, "waspada", false}, // 73.7 after float noise
		{k22, 73.694, "rentan", true},
		{k25, 73.0, "waspada", false},
		{k25, 77.99, "waspada", false},
		{k25, 78.0, "terjaga", false},
		{k25, 100, "terjaga", false},
		{k22, 67.99, "sangat_rentan", true},
		{k22, 68.0, "rentan", true},
		{k22, 73.69, "rentan", true},
		{k22, 73.7, "waspada", false},
		{k22, 77.5, "terjaga", false},
	}
	for _, tc := range tests {
		b := Category(tc.s, tc.index)
		if b.Slug != tc.slug || b.Risk != tc.risk {
			t.Errorf("%s %v: got %s risk %v, want %s %v", tc.s.Categories.Preset, tc.index, b.Slug, b.Risk, tc.slug, tc.risk)
		}
	}
	labels := map[string]Label{}
	for _, b := range k22.Categories.Bands {
		labels[b.Slug] = b.Label
	}
	want := map[string]Label{
		"sangat_rentan": {"Sangat Rentan", "Highly vulnerable"}, "rentan": {"Rentan", "Vulnerable"},
		"waspada": {"Waspada", "Alert"}, "terjaga": {"Terjaga", "Maintained"},
	}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("labels %v", labels)
	}
}

func TestCategoryPresetByNameOnly(t *testing.T) {
	s := DefaultSettings()
	s.Categories = Categories{Preset: "kpk2022"}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if b := Category(s, 70); b.Slug != "rentan" {
		t.Errorf("kpk2022 by name: %s", b.Slug)
	}
	s.Categories = Categories{Preset: "kpk1990"}
	if err := s.Validate(); err == nil {
		t.Error("unknown preset accepted")
	}
}
