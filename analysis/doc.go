// Package analysis computes the integrity-survey results of one period: item,
// element and component scores, the unit and city indices with their
// uncertainty, categories, risk elements, hot spots (titik rawan), prevalence,
// reliability, data-quality flags and trends between periods.
//
// It implements sections 3–8 of the Integritas method (shared/spi-method.md).
// It takes plain Go values and returns plain Go values: no SQL, no HTTP, no
// package-level state. Every figure over fewer than Settings.MinGroup
// respondents is suppressed inside the engine (nil in Go, null or absent in
// JSON, never zero), so no caller can forget to suppress it.
//
// Choices the method leaves open are documented where they are made:
//   - Wilson intervals use z = qnorm(0.975) ≈ 1.959964, as R's prop.test does.
//   - The margin of error is t·SE, the half-width before clamping to 0–100.
//   - When every standard error of a composite is zero its Welch–Satterthwaite
//     degrees of freedom are undefined; Σ(n_t − 1) is reported instead.
//   - Hot spots: unit prevalence ≥ Settings.HotSpotShare, or a one-sided
//     two-proportion z-test of the unit against the rest of the city
//     (pooled variance) with z > qnorm(0.975), i.e. p < 0.025 one-sided.
//     Only experience items where "yes" is the bad answer (not reversed) qualify.
//   - Complementary suppression: among the units of the city, per respondent
//     type (components), per element×type and per experience item×type, when
//     some cells are suppressed, the next-smallest shown cells are suppressed
//     too until at least two cells holding at least MinGroup respondents
//     together are hidden. The same rule protects strata breakdowns inside a
//     unit. A component hidden this way is left out of its unit's index (which
//     is then partial) and hides its element and prevalence cells. Parent
//     roll-ups (Unit.Parent) are not computed, so the city is the only total.
//   - Post-stratification (Settings.Weighting "poststrat") and its variance
//     follow R survey::postStratify on svydesign(ids=~1, fpc=~N); see
//     poststrat.go.
package analysis
