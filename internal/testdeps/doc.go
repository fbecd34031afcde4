// Package testdeps lets a test that needs an outside program (Chromium,
// pdftotext, Rscript) skip with a reason on a developer's machine, and fail
// instead in CI, where .ci/run installs everything and sets
// INTEGRITAS_REQUIRE_ALL=1: in CI nothing may skip.
package testdeps
