package analysis

import "time"

// Results is everything computed for one period; it marshals to the JSON the
// API and CLI print.
type Results struct {
	Period   string       `json:"period"`
	Settings Settings     `json:"settings"` // resolved: the weights actually used
	City     City         `json:"city"`
	Units    []UnitResult `json:"units"`
	// Scores holds, per unit code and respondent type, the included
	// respondents' component scores of every shown component, for Compare.
	Scores map[string]map[string][]float64 `json:"-"`
	// Tests is the period's multiplicity family (risk deficits and hot
	// spots against the rest of the city) with p and BH-adjusted q values.
	Tests []Test `json:"-"`
}

// Suppression reasons.
const (
	SuppressMinGroup = "min_group" // fewer than k respondents
	// SuppressComplementary is no longer produced (spi-method v2 §8: city and
	// parent figures cover published cells only, so no neighbour is hidden);
	// kept so callers that name it compile.
	SuppressComplementary = "complementary"
	SuppressParent        = "parent" // the component it belongs to is hidden
)

// Figure is a suppressible mean score; suppressed figures are null, never zero.
type Figure struct {
	Score       *float64    `json:"score"`
	SE          *float64    `json:"se"`
	CI          *[2]float64 `json:"ci"`
	N           *int        `json:"n"`
	Weighted    bool        `json:"weighted,omitempty"` // post-stratified
	Suppressed  bool        `json:"suppressed"`
	Suppression string      `json:"suppression,omitempty"`
}

// ElementFigure is an element score with its reliability.
type ElementFigure struct {
	Figure
	Alpha       *float64     `json:"alpha"`
	Reliability *Reliability `json:"reliability,omitempty"`
	// AlphaAbsent says why α is null on a shown element: one of the
	// Absent* reasons.
	AlphaAbsent string `json:"alpha_absent,omitempty"`
}

// Reasons a statistic is absent (null) instead of NaN or ±Inf (spi-method §4).
const (
	AbsentFewItems     = "fewer_than_two_items"
	AbsentFewCases     = "fewer_than_k_complete_cases"
	AbsentZeroVariance = "zero_variance" // an item, or the total, does not vary
	AbsentZeroSE       = "zero_se"       // no test: the standard error is zero
	AbsentFewN         = "n_below_2"
)

// Reliability is Cronbach's α of an element×type over complete cases.
type Reliability struct {
	Alpha float64           `json:"alpha"`
	N     int               `json:"n"` // complete cases
	Items []ItemReliability `json:"items"`
}

// ItemReliability holds the corrected item–total r and α if the item is deleted.
type ItemReliability struct {
	Item      string   `json:"item"`
	RDrop     *float64 `json:"r_drop"`     // null when the rest of the items do not vary
	AlphaDrop *float64 `json:"alpha_drop"` // null for two-item elements or a constant rest
	Absent    string   `json:"absent,omitempty"`
}

// Component is a respondent type's score in a unit (or the city).
type Component struct {
	Figure
	DF         *float64 `json:"df,omitempty"`
	Population *int     `json:"population"`
	Weight     float64  `json:"weight"`    // renormalised weight in the index, 0 when left out
	Weighting  string   `json:"weighting"` // how respondents were weighted, with any fallback reason
	// Estimator says how a city or parent figure was formed: EstStratified
	// (Σ N_u/N · ȳ_u over units, R svydesign(ids=~1, strata=~unit, fpc=~N))
	// or EstPooled (respondent-pooled, when some unit's N is unknown).
	// Empty on unit components.
	Estimator string                    `json:"estimator,omitempty"`
	Units     []string                  `json:"units,omitempty"` // city/parent: the units whose published cells it covers
	Flags     []string                  `json:"flags,omitempty"`
	Elements  map[string]*ElementFigure `json:"elements"`
	Strata    []StratumFigure           `json:"strata,omitempty"`
}

// StratumFigure is the component score of one post-stratification cell.
type StratumFigure struct {
	Stratum    string `json:"stratum"`
	Population *int   `json:"population"`
	Figure
}

// IndexFigure is an index with its uncertainty and category.
type IndexFigure struct {
	Index         *float64    `json:"index"`
	SE            *float64    `json:"se"`
	CI            *[2]float64 `json:"ci"`
	Margin        *float64    `json:"margin"`
	DF            *float64    `json:"df"`
	Category      string      `json:"category,omitempty"` // of the index as published (Round2), or CategoryWithheld
	CategoryLabel *Label      `json:"category_label,omitempty"`
	// CategoryIndicative marks the category of a partial index: indicative only (§5).
	CategoryIndicative bool `json:"category_indicative,omitempty"`
	Partial            bool `json:"partial"`
	Suppressed         bool `json:"suppressed"`
}

// UnitResult holds a unit's figures.
type UnitResult struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
	IndexFigure
	Flags          []string                 `json:"flags"`
	Correction     CorrectionSummary        `json:"correction"`
	Components     map[string]*Component    `json:"components"`
	RiskElements   []RiskElement            `json:"risk_elements"`
	HotSpots       []HotSpot                `json:"hot_spots"`
	Prevalence     []Prevalence             `json:"prevalence"`
	TextCounts     []TextCount              `json:"text_counts,omitempty"`
	Quality        QualitySummary           `json:"quality"`
	ResponseCounts map[string]ResponseCount `json:"response_counts"`
	// Review is the unit's survey-integrity status: under review while a
	// flagged coached cluster has no decision; withheld when Input.Withheld
	// names it (then every figure is suppressed as SuppressWithheld).
	Review Review `json:"review"`
	// Exclusions are the recorded exclusions that removed responses of this unit.
	Exclusions []AppliedExclusion `json:"exclusions"`
}

// Unit flags.
const (
	FlagPopulationBelow    = "population_below_responses"
	FlagSampleInsufficient = "sample_insufficient"
	FlagNoIndex            = "no_index"
)

// CorrectionSummary is the correction factor applied to a unit's index.
type CorrectionSummary struct {
	Points float64      `json:"points"` // applied, after the cap
	Total  float64      `json:"total"`  // entered
	Capped bool         `json:"capped"`
	Items  []Correction `json:"items"`
}

// ResponseCount counts a unit's responses of one type.
type ResponseCount struct {
	Received   int  `json:"received"`
	Included   int  `json:"included"`
	Population *int `json:"population"`
	Required   *int `json:"required"` // sample size for the target margin
}

// RiskElement is an element where some type scores in a risk band or below the city.
type RiskElement struct {
	Element string       `json:"element"`
	Types   []string     `json:"types"`
	Reasons []RiskReason `json:"reasons"`
	// Indicative is true when every reason is RiskIndicative: a point score
	// in a risk band that the data do not confirm; label it so.
	Indicative bool `json:"indicative,omitempty"`
}

// Risk reasons (spi-method v2 §5).
const (
	// RiskBand: the 95 % CI's upper end lies below the Waspada threshold
	// (confidently Rentan or below).
	RiskBand = "band"
	// RiskBelowCity: significantly below the rest of the city (Welch test of
	// the unit against the other units' respondents of the type, one-sided,
	// Benjamini–Hochberg over the period's family at Settings.FDR).
	RiskBelowCity = "below_city"
	// RiskIndicative: the point score lies in a risk band but the CI reaches
	// Waspada; shown as indicative only (RiskElement.Indicative).
	RiskIndicative = "indicative"
)

// RiskReason says why a type makes an element a risk element.
type RiskReason struct {
	Type   string   `json:"type"`
	Reason string   `json:"reason"`
	Score  float64  `json:"score"`
	CIHigh float64  `json:"ci_high"`
	City   *float64 `json:"city"`        // the rest of the city's score of that type (other units' respondents)
	P      *float64 `json:"p,omitempty"` // below_city: one-sided Welch p
	Q      *float64 `json:"q,omitempty"` // below_city: BH-adjusted p
}

// Hot-spot reasons (spi-method v2 §5).
const (
	HotShare     = "share"      // Wilson lower bound at least Settings.HotSpotShare
	HotAboveCity = "above_city" // one-sided Fisher exact above the rest of the city, BH-significant
	// HotIndicative: the point prevalence reaches HotSpotShare but the Wilson
	// lower bound does not; shown as indicative only.
	HotIndicative = "indicative"
)

// HotSpot is a titik rawan: an experience item many respondents of a type saw.
type HotSpot struct {
	Item       string     `json:"item"`
	Element    string     `json:"element"`
	Type       string     `json:"type"`
	Prevalence float64    `json:"prevalence"`
	CI         [2]float64 `json:"ci"`
	N          int        `json:"n"`
	City       *float64   `json:"city"` // the rest of the city's prevalence of that type
	Reasons    []string   `json:"reasons"`
	P          *float64   `json:"p,omitempty"` // one-sided Fisher exact p against the rest of the city
	Q          *float64   `json:"q,omitempty"` // BH-adjusted
	Indicative bool       `json:"indicative,omitempty"`
}

// Prevalence is the share of respondents of a type answering "yes" to an experience item.
type Prevalence struct {
	Item        string      `json:"item"`
	Element     string      `json:"element"`
	Type        string      `json:"type"`
	Yes         *int        `json:"yes"`
	N           *int        `json:"n"`
	Prevalence  *float64    `json:"prevalence"`
	CI          *[2]float64 `json:"ci"`
	Suppressed  bool        `json:"suppressed"`
	Suppression string      `json:"suppression,omitempty"`
}

// TextCount is the number of free-text answers of a type, shown for groups of at least k_text.
type TextCount struct {
	Item  string `json:"item"`
	Type  string `json:"type"`
	Count int    `json:"count"`
}

// QualitySummary counts the data-quality flags and the inclusion choice.
type QualitySummary struct {
	IncludeFlagged     bool               `json:"include_flagged"`
	Responses          int                `json:"responses"`
	Flagged            int                `json:"flagged"`
	Excluded           int                `json:"excluded"`
	IncludedByDecision int                `json:"included_by_decision"`
	ExcludedByDecision int                `json:"excluded_by_decision"`
	PaperIncomplete    int                `json:"paper_incomplete"` // paper responses with a skipped required item, kept with it missing
	ByFlag             map[string]int     `json:"by_flag"`
	Clusters           []Cluster          `json:"clusters,omitempty"`
	MedianDuration     map[string]float64 `json:"median_duration,omitempty"` // by type (city only)
}

// Cluster is a coached-answering cluster that reached the size threshold.
// ID is stable across recomputations of the same answers: unit, type and
// the lowest member response ID ("DINKES/internal/1234"); Members are the
// member response IDs, ascending. A flagged cluster whose Decision is
// ClusterPending puts its unit under review (UnitResult.Review).
type Cluster struct {
	ID           string    `json:"id"`
	Members      []int64   `json:"members"`
	Decision     string    `json:"decision"`
	Unit         string    `json:"unit"`
	Type         string    `json:"type"`
	Size         int       `json:"size"`
	Responses    int       `json:"responses"` // of the unit-type
	MinSize      int       `json:"min_size"`
	Baseline     float64   `json:"baseline"` // quantile of the largest permuted cluster
	Permutations int       `json:"permutations"`
	WindowHours  int       `json:"window_hours"`
	First        time.Time `json:"first"`
	Last         time.Time `json:"last"`
	Flagged      bool      `json:"flagged"`
}

// City holds the city-wide figures: pooled over all respondents and the mean of unit indices.
type City struct {
	// Pooled is the city index built from the stratified city components
	// (§3.8) over published cells only; the name is kept from v1.
	Pooled     PooledIndex        `json:"pooled"`
	UnitMean   UnitMeanIndex      `json:"unit_mean"`
	Prevalence []Prevalence       `json:"prevalence"`
	Quality    QualitySummary     `json:"quality"`
	Exclusions []AppliedExclusion `json:"exclusions"`
}

// PooledIndex is the city index over all respondents with the same formulas as a unit's.
type PooledIndex struct {
	Label Label `json:"label"`
	IndexFigure
	Components map[string]*Component `json:"components"`
}

// UnitMeanIndex is the unweighted mean of the published unit indices.
type UnitMeanIndex struct {
	Label         Label    `json:"label"`
	Index         *float64 `json:"index"`
	Units         int      `json:"units"`
	Category      string   `json:"category,omitempty"`
	CategoryLabel *Label   `json:"category_label,omitempty"`
}
