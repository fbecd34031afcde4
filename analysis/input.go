package analysis

import "time"

// Respondent types, in their order of presentation.
const (
	Internal = "internal"
	External = "external"
	Expert   = "expert"
)

// Types returns the respondent types in their order of presentation.
func Types() []string { return []string{Internal, External, Expert} }

// TypeIndex maps a respondent type to its position in Types, or -1.
func TypeIndex(t string) int {
	switch t {
	case Internal:
		return 0
	case External:
		return 1
	case Expert:
		return 2
	}
	return -1
}

// numTypes is the number of respondent types.
const numTypes = 3

// ItemKind is the kind of answer an item takes.
type ItemKind int

// Item kinds.
const (
	Ordinal ItemKind = iota + 1
	Experience
	Text
)

// Answer byte encoding inside Response.Answers; ordinal answers are positions
// 1..k and text items hold 1 when text was given.
const (
	NoAnswer byte = 0
	DontKnow byte = 255
	Yes      byte = 1
	No       byte = 2
)

// Element is an element (dimension) of the instrument with its weight (default 1).
type Element struct {
	Code   string
	Weight float64
}

// Item is one question of the instrument; Types empty means every type sees it.
type Item struct {
	Code, Element string
	Kind          ItemKind
	Points        int
	Reverse       bool
	Types         []string
}

// Unit is an OPD with its population frame by respondent type (0 or missing = unknown).
type Unit struct {
	Code, Name, Parent string
	Population         map[string]int
}

// Response is one submitted questionnaire; Answers is aligned with Input.Items.
// Channel is "invitation" or "open" for self-completed web responses; any
// other channel (e.g. "paper" imports) is never a speeder (§6). Hour is the
// submission hour (imports without an hour use their day; the coaching
// check then compares them at that hour).
type Response struct {
	ID       int64
	Unit     string
	Type     string
	Channel  string
	Hour     time.Time
	Duration float64
	Device   string
	Stratum  string
	Answers  []byte
	// Incomplete marks a paper response that skipped a required item (kept
	// with the item missing rather than refused); it only feeds the
	// "paper, incomplete" count of the quality summary; the scores treat
	// the item as missing like any other (§3).
	Incomplete bool
}

// Correction is one correction-factor entry (faktor koreksi) of a unit.
type Correction struct {
	Points   float64 `json:"points"`
	Kind     string  `json:"kind"`
	Reason   string  `json:"reason"`
	Evidence string  `json:"evidence"`
}

// Input is everything Compute needs for one period.
type Input struct {
	Period      string
	Settings    Settings
	Elements    []Element
	Items       []Item
	Units       []Unit
	Responses   []Response
	Corrections map[string][]Correction
	// Exclusions are the recorded decisions that leave flagged responses out
	// (by flag type or by cluster); see Exclusion. Without any, every
	// response counts except the later copies of exact duplicates.
	Exclusions []Exclusion
	// Decisions are per-response decisions (response ID → include); they
	// override everything else for that response (false excludes it, true
	// counts even an exact duplicate). Kept from spi-method v1.
	Decisions map[int64]bool
	// Reviewed lists cluster IDs the Inspectorate decided on without
	// excluding them (answers kept, or a survey-integrity correction
	// entered): they no longer put their unit under review.
	Reviewed []string
	// Withheld maps unit codes to the reason their index is withheld
	// ("ditangguhkan", §6); see CategoryWithheld.
	Withheld map[string]string
	// Hidden names unit components (unit code → respondent type) to hide as
	// SuppressDifferencing: see differenced.go.
	Hidden map[string]map[string]bool
	Strata map[string]map[string]int
}
