package testdeps

import (
	"os"
	"testing"
)

// Required reports whether every test dependency must be present.
func Required() bool { return os.Getenv("INTEGRITAS_REQUIRE_ALL") == "1" }

// Missing skips the test (or fails it in CI) because what is not installed;
// how says how to install it.
func Missing(t testing.TB, what, how string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s is missing and INTEGRITAS_REQUIRE_ALL=1 (CI) requires it; %s", what, how)
	}
	t.Skipf("%s is missing, so this test is skipped; %s", what, how)
}
