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
}

// Suppression reasons.
const (
	SuppressMinGroup      = "min_group"     // fewer than k respondents
	SuppressComplementary = "complementary" // hidden so a suppressed cell cannot be derived
	SuppressParent        = "parent"        // the component it belongs to is hidden
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
}

// Reliability is Cronbach's α of an element×type over complete cases.
type Reliability struct {
	Alpha float64           `json:"alpha"`
	N     int               `json:"n"` // complete cases
	Items []ItemReliability `json:"items"`
}

// ItemReliability holds the corrected item–total r and α if the item is deleted.
type ItemReliability struct {
	Item      string   `json:"item"`
	RDrop     float64  `json:"r_drop"`
	AlphaDrop *float64 `json:"alpha_drop"` // null for two-item elements
}

// Component is a respondent type's score in a unit (or the city).
type Component struct {
	Figure
	DF         *float64                  `json:"df,omitempty"`
	Population *int                      `json:"population"`
	Weight     float64                   `json:"weight"`    // renormalised weight in the index, 0 when left out
	Weighting  string                    `json:"weighting"` // how respondents were weighted, with any fallback reason
	Flags      []string                  `json:"flags,omitempty"`
	Elements   map[string]*ElementFigure `json:"elements"`
	Strata     []StratumFigure           `json:"strata,omitempty"`
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
	Category      string      `json:"category,omitempty"`
	CategoryLabel *Label      `json:"category_label,omitempty"`
	Partial       bool        `json:"partial"`
	Suppressed    bool        `json:"suppressed"`
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
}

// Risk reasons.
const (
	RiskBand      = "band"       // the score lies in Rentan or below
	RiskBelowCity = "below_city" // the CI's upper end lies below the city's pooled score
)

// RiskReason says why a type makes an element a risk element.
type RiskReason struct {
	Type   string   `json:"type"`
	Reason string   `json:"reason"`
	Score  float64  `json:"score"`
	CIHigh float64  `json:"ci_high"`
	City   *float64 `json:"city"`
}

// Hot-spot reasons.
const (
	HotShare     = "share"      // prevalence at least Settings.HotSpotShare
	HotAboveCity = "above_city" // significantly above the rest of the city
)

// HotSpot is a titik rawan: an experience item many respondents of a type saw.
type HotSpot struct {
	Item       string     `json:"item"`
	Element    string     `json:"element"`
	Type       string     `json:"type"`
	Prevalence float64    `json:"prevalence"`
	CI         [2]float64 `json:"ci"`
	N          int        `json:"n"`
	City       *float64   `json:"city"`
	Reasons    []string   `json:"reasons"`
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
	ByFlag             map[string]int     `json:"by_flag"`
	Clusters           []Cluster          `json:"clusters,omitempty"`
	MedianDuration     map[string]float64 `json:"median_duration,omitempty"` // by type (city only)
}

// Cluster is a coached-answering cluster that reached the size threshold.
type Cluster struct {
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
	Pooled     PooledIndex    `json:"pooled"`
	UnitMean   UnitMeanIndex  `json:"unit_mean"`
	Prevalence []Prevalence   `json:"prevalence"`
	Quality    QualitySummary `json:"quality"`
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
