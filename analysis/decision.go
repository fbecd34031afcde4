package analysis

import "time"

// MethodVersion names the method this engine implements; Compute states it
// in Results.Settings.Method (spi-method v2, §0–§9).
const MethodVersion = "spi-method v2"

// Exclusion kinds.
const (
	// ExcludeFlag leaves out every response carrying a flag code (FlagSpeeder,
	// FlagStraightLine, FlagCoached) in the exclusion's unit and type.
	ExcludeFlag = "flag"
	// ExcludeCluster leaves out the members of one coached cluster (Cluster.ID).
	ExcludeCluster = "cluster"
)

// Exclusion is a recorded decision of the Inspectorate or an analyst to leave
// responses out of the figures (spi-method §6: flags are evidence, never an
// automatic deduction). Every response counts unless an Exclusion (or a
// per-response Input.Decisions entry) says otherwise; exact duplicates
// (same device, same answers, within DuplicateWindowHours) are the one
// automatic exception: only the first of a chain counts.
//
// The engine echoes each exclusion, with the number of responses it removed,
// on every unit it touches (UnitResult.Exclusions) and on the city
// (City.Exclusions), so a result always shows who decided what, when and why.
type Exclusion struct {
	Kind    string    `json:"kind"`              // ExcludeFlag or ExcludeCluster
	Flag    string    `json:"flag,omitempty"`    // with ExcludeFlag: the flag code
	Cluster string    `json:"cluster,omitempty"` // with ExcludeCluster: Cluster.ID
	Unit    string    `json:"unit,omitempty"`    // unit code; "" = every unit (ExcludeFlag only)
	Type    string    `json:"type,omitempty"`    // respondent type; "" = every type
	ID      int64     `json:"id,omitempty"`      // the caller's record of the decision
	By      string    `json:"by,omitempty"`      // who decided
	At      time.Time `json:"at,omitzero"`       // when
	Reason  string    `json:"reason,omitempty"`  // why
}

// AppliedExclusion is an exclusion as applied to one unit (or the city):
// Responses is how many responses it removed there. A response matching
// several exclusions is counted under each.
type AppliedExclusion struct {
	Exclusion
	Responses int `json:"responses"`
}

// Cluster decisions (Cluster.Decision).
const (
	ClusterPending  = ""         // flagged, nobody has decided: the unit is under review
	ClusterExcluded = "excluded" // an ExcludeCluster or ExcludeFlag(coached) exclusion removed it
	ClusterReviewed = "reviewed" // decided without exclusion (kept, or a correction entered): Input.Reviewed
	ClusterWithheld = "withheld" // the unit's index is withheld: Input.Withheld
)

// Withheld-unit publication (spi-method §6): a unit in Input.Withheld has no
// published index, components, elements, prevalence, risk elements or hot
// spots; its category is CategoryWithheld and WithheldReason says why. Its
// respondents also leave the city figures, which cover published cells only
// (§3.8), so the withheld figures cannot be recovered by subtraction.
const (
	CategoryWithheld = "ditangguhkan"
	SuppressWithheld = "withheld" // Suppression reason of a withheld unit's figures
)

// CategoryWithheldLabel is the label of CategoryWithheld.
var CategoryWithheldLabel = Label{ID: "Ditangguhkan", EN: "Withheld"}

// Review is a unit's survey-integrity status (UnitResult.Review).
type Review struct {
	// UnderReview is true while a flagged coached cluster of the unit has no
	// decision (Cluster.Decision == ClusterPending): its figures are computed
	// and shown to staff, marked so, and its packet must not be sent.
	UnderReview bool `json:"under_review"`
	// Pending lists the IDs of the undecided flagged clusters.
	Pending []string `json:"pending,omitempty"`
	// Withheld is true when the unit is in Input.Withheld.
	Withheld bool   `json:"withheld"`
	Reason   string `json:"reason,omitempty"` // the withholding reason
}
