package packet

import (
	"time"

	"integritas/locale"
	"integritas/results"
	"integritas/survey"
)

// NewSource prepares the source of a period's packets from what results
// read: the period, its earlier periods for the trend, the previous
// period's action plans and the MCP figures beside it. org are the stored
// organisation settings with the command's or server's flags applied; the
// cover letter is written from them alone.
func NewSource(h *results.History, bundle *locale.Bundle, org survey.OrgSettings, now time.Time) (*Source, error) {
	src := &Source{Current: h.Current, History: h.Earlier, FollowUp: h.FollowUp, Cross: h.Cross,
		Bundle: bundle, Org: org, Date: now}
	if err := src.Prepare(); err != nil {
		return nil, err
	}
	// Prepare kept what the packets show of the earlier periods; their
	// whole results were 11 of the 26 MB a source of 300 units holds
	// (BenchmarkPackets300), live through every packet's build.
	src.History = nil
	return src, nil
}
