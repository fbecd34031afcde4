package packet

import (
	"time"

	"integritas/locale"
	"integritas/results"
)

// NewSource prepares the source of a period's packets from what results
// read: the period, its earlier periods for the trend, the previous
// period's action plans and the MCP figures beside it.
func NewSource(h *results.History, bundle *locale.Bundle, inspectorate string, now time.Time) (*Source, error) {
	src := &Source{Current: h.Current, History: h.Earlier, FollowUp: h.FollowUp, Cross: h.Cross,
		Bundle: bundle, Inspectorate: inspectorate, Date: now}
	if err := src.Prepare(); err != nil {
		return nil, err
	}
	return src, nil
}
