package analysis

import (
	"strings"
	"testing"
)

// Huge weights would overflow the composite SE and silently null an index.
func TestSettingsRefuseHugeWeights(t *testing.T) {
	for _, js := range []string{`{"element_weights": {"pbj": 1e308}}`, `{"type_weights": {"internal": 1e308, "external": 1}}`, `{"element_weights": {"pbj": 1001}}`} {
		_, err := ParseSettings([]byte(js))
		if err == nil || !strings.Contains(err.Error(), "from 0 to 1000") {
			t.Errorf("%s: %v", js, err)
		}
	}
	if _, err := ParseSettings([]byte(`{"element_weights": {"pbj": 1000}, "type_weights": {"internal": 0.5, "external": 0.35, "expert": 0.15}}`)); err != nil {
		t.Errorf("ordinary weights refused: %v", err)
	}
}
