// Package analysis computes the integrity-survey results of one period: item,
// element and component scores, the unit and city indices with their
// uncertainty, categories, risk elements, hot spots (titik rawan), prevalence,
// reliability, data-quality flags and trends between periods.
//
// It implements sections 3–8 of the Integritas method, version 2
// (shared/spi-method.md; MethodVersion, stated in Results.Settings.Method).
// It takes plain Go values and returns plain Go values: no SQL, no HTTP, no
// package-level state. Every figure over fewer than Settings.MinGroup
// respondents is suppressed inside the engine (nil in Go, null in JSON, never
// zero), so no caller can forget to suppress it. No NaN or ±Inf leaves the
// engine: a statistic that cannot be computed is null with its reason
// (Absent*). CheckFinite and NonFiniteText let other packages prove the same
// of their own output.
//
// Entry points: Compute (all figures), QualityFlags (the flagged responses
// with their evidence), Compare (trends), ParseSettings/DefaultSettings,
// Category, Round2, RequiredSampleSize, Wilson, CheckFinite. A Memo
// (NewMemo; Memo.Compute, Memo.QualityFlags) gives the same results while
// redoing only the unit×type cells whose content changed since its last
// call: every cell's figures sum its responses in ID order, so they depend
// on the cell's content, never on where its responses sit in the input.
//
// # The workflow contract (spi-method v2 §6)
//
//   - Flags are evidence. Every response counts by default; only exact
//     duplicates (same device, same answers, within DuplicateWindowHours)
//     keep their first. Settings.IncludeFlagged is ignored (still parsed).
//   - Exclusions are recorded decisions passed in Input.Exclusions: by flag
//     type (Kind ExcludeFlag, Flag, optional Unit and Type) or by coached
//     cluster (Kind ExcludeCluster, Cluster = Cluster.ID). The caller keeps
//     who/when/why (By, At, Reason, ID); the engine echoes every exclusion
//     with the responses it removed in UnitResult.Exclusions and
//     City.Exclusions. Input.Decisions (response ID → include) still
//     overrides per response.
//   - Coached clusters: UnitResult.Quality.Clusters (and City.Quality) list
//     each cluster reaching the size threshold with a stable ID
//     ("UNIT/type/lowest response ID"), Size, Members (response IDs),
//     Flagged and Decision. A flagged cluster without a decision (no
//     exclusion naming it or excluding coached answers there, not in
//     Input.Reviewed, unit not withheld) sets UnitResult.Review.UnderReview
//     and is listed in Review.Pending: the figures are computed as usual;
//     the workflow marks them and blocks the packet.
//   - Withholding: Input.Withheld (unit code → reason) publishes the unit as
//     CategoryWithheld ("ditangguhkan") with every figure suppressed as
//     SuppressWithheld, and leaves its respondents out of the city figures
//     (published cells only), so the withheld index cannot be recovered.
//
// # Choices the method leaves open, made here
//
//   - Default type weights are equal across the types the instrument asks
//     (Results.Settings states them); an index is partial when a type with a
//     positive weight has no shown component in the unit, and a partial
//     index's category is indicative only (IndexFigure.CategoryIndicative).
//   - The category is that of the index as published: Round2 (half up, 2
//     decimals, tolerant of float noise), then the half-open bands.
//   - Wilson intervals use z = qnorm(0.975) ≈ 1.959964, as R's prop.test
//     does; RequiredSampleSize uses the method's literal 1.96.
//   - Component, element and index CI ends are clamped to 0–100; the margin
//     of error is t·SE, the half-width before clamping.
//   - When every standard error of a composite is zero its Welch–Satterthwaite
//     degrees of freedom are undefined; Σ(n_t − 1) is reported instead.
//   - Suppression is separate from estimation: a cell under k is hidden and
//     a component under k leaves only its own unit's index. No unit's figure
//     depends on another unit being small; there is no complementary
//     suppression. City figures cover only published cells (§3.8): the city
//     component of a type is the stratified estimate over the units whose
//     component is published (strata = units, weights N_u/N, fpc; R
//     svydesign(ids=~1, strata=~unit, fpc=~N)) when all their N are known,
//     else the respondent-pooled mean over those units (Component.Estimator).
//     City elements and prevalence likewise cover the published cells only.
//   - Risk elements (§5): a shown element cell whose 95 % CI upper end lies
//     below the Waspada threshold (the lowest non-risk band), or whose score
//     is significantly below the rest of the city (one-sided Welch test
//     against the other units' included respondents of that type). Hot
//     spots: Wilson lower bound ≥ HotSpotShare, or one-sided Fisher exact
//     test against the rest of the city. The "significantly" of both is
//     decided by Benjamini–Hochberg at Settings.FDR over the period's whole
//     family of those tests (every shown cell of every unit). A point score in
//     a risk band, or a point prevalence ≥ HotSpotShare, without either
//     reason is listed as indicative. Reversed experience items (where "yes"
//     is the good answer) are never hot spots.
//   - Post-stratification (Settings.Weighting "poststrat") weights internal
//     respondents to Input.Strata after merging bands with fewer than
//     Settings.MinCell respondents into a neighbour, in the sorted order of
//     the band names (the roster's band order), until every cell holds at
//     least MinCell; respondents without a band (or with a band missing from
//     the counts) form their own cell at their sample share. Equal to R
//     survey::postStratify on the collapsed cells of svydesign(ids=~1,
//     fpc=~N). With fewer than MinCell respondents in all, the unit is one
//     cell (the unweighted mean). Prevalence and reliability stay
//     unweighted; trends use the published (weighted) estimates.
//   - Trends (§4) are differences of the published estimates of index,
//     components and elements: SE √(SE₁² + SE₂²), Welch–Satterthwaite df.
//   - Speeders: self-completed web responses only (Channel not "paper" or
//     "import"), against the median of the same type's web responses.
//   - Coached answering: a 6-hour linking window (CoachingWindowHours); the
//     permutation baseline shuffles the submission hours among the same
//     unit-type's respondents, keeping every answer vector whole, so honest
//     agreement (correlated answers of content staff) is in the baseline
//     and only agreement concentrated in time is flagged.
//   - Response IDs must be unique; answers to items a type is not asked are ignored.
package analysis
