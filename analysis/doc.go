// Package analysis computes the integrity-survey results of one period: item,
// element and component scores, the unit and city indices with their
// uncertainty, categories, risk elements, hot spots (titik rawan), prevalence,
// reliability, data-quality flags and trends between periods.
//
// It implements sections 3–8 of the Integritas method (shared/spi-method.md).
// It takes plain Go values and returns plain Go values: no SQL, no HTTP, no
// package-level state. Every figure over fewer than Settings.MinGroup
// respondents is suppressed inside the engine (nil in Go, null in JSON, never
// zero), so no caller can forget to suppress it.
//
// Entry points: Compute (all figures), QualityFlags (the flagged responses
// with their evidence), Compare (trends), ParseSettings/DefaultSettings,
// Category, RequiredSampleSize and Wilson.
//
// Choices the method leaves open are made here and stated:
//   - Default type weights are equal across the types the instrument asks
//     (Results.Settings states them); an index is partial when a type with a
//     positive weight has no shown component in the unit.
//   - Wilson intervals use z = qnorm(0.975) ≈ 1.959964, as R's prop.test
//     does; RequiredSampleSize uses the method's literal 1.96.
//   - Component, element and index CI ends are clamped to 0–100; the margin
//     of error is t·SE, the half-width before clamping.
//   - When every standard error of a composite is zero its Welch–Satterthwaite
//     degrees of freedom are undefined; Σ(n_t − 1) is reported instead.
//   - Hot spots: unit prevalence ≥ Settings.HotSpotShare, or a one-sided
//     pooled two-proportion z-test of the unit against the rest of the city
//     with z > qnorm(0.975) (p < 0.025 one-sided, no multiplicity correction).
//     Reversed experience items (where "yes" is the good answer) never qualify.
//   - Risk elements use shown element cells only; "below the city" compares
//     the CI's upper end with the city's pooled score of the same element and
//     type; like the hot spots' test against the rest of the city it moves
//     when other units' answers do. A unit's own scores depend on other
//     units only through the period-wide speeder median (§6) and
//     complementary suppression.
//   - Complementary suppression: among the units of the city (the only total:
//     parent roll-ups over Unit.Parent are not computed), per respondent type
//     (components), per element×type and per experience item×type, while some
//     cell is hidden but fewer than two cells or fewer than MinGroup
//     respondents together are hidden, the smallest shown cell is hidden too.
//     A component hidden this way leaves its unit's index (which is then
//     partial) and hides its element and prevalence cells. The same rule
//     protects the strata breakdown of a unit's internal component.
//   - Post-stratification (Settings.Weighting "poststrat") weights internal
//     respondents to Input.Strata and matches R survey::postStratify on
//     svydesign(ids=~1, fpc=~N); an estimate with a stratum under MinGroup,
//     or respondents outside the strata counts, falls back to the unweighted
//     mean and says why (Component.Weighting). Prevalence, reliability and
//     trends stay unweighted.
//   - Duplicates: the same answer vector from the same non-empty device hash
//     at most DuplicateWindowHours after the previous one of the chain.
//   - Coached answering: the permutation baseline shuffles each item
//     independently, so it also breaks the correlation between items that an
//     honest, consistent unit has; a unit whose respondents crowd at the top
//     of every scale can therefore be flagged. Flags are evidence for the
//     analyst, who includes or excludes the responses (Input.Decisions).
//   - Response IDs must be unique; answers to items a type is not asked are ignored.
package analysis
