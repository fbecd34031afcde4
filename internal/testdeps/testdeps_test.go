package testdeps

import "testing"

func TestRequired(t *testing.T) {
	t.Setenv("INTEGRITAS_REQUIRE_ALL", "1")
	if !Required() {
		t.Error("INTEGRITAS_REQUIRE_ALL=1 not seen")
	}
	t.Setenv("INTEGRITAS_REQUIRE_ALL", "")
	if Required() {
		t.Error("unset INTEGRITAS_REQUIRE_ALL seen as required")
	}
}
