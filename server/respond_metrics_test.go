package server

import (
	"testing"

	"integritas/survey"
)

// TestCommitterMetrics: the answer writer's counters reach /metrics.
func TestCommitterMetrics(t *testing.T) {
	e := newRespondEnv(t)
	tok := e.invite("DINKES", survey.Internal, 1)[0]
	e.do("POST", "/s/"+tok, valid(), nil) // stored
	e.do("POST", "/s/"+tok, valid(), nil) // refused before the writer: the page sees the link is used
	vis := e.visitOpen("/api/v1/forms/SPI-T/DINKES")
	e.do("POST", "/api/v1/responses", vis.json(`{"period": "SPI-T", "unit": "DINKES", "answers": `+answersJSON+`}`), vis.header(nil))
	e.run([]scenario{{name: "metrics", path: "/metrics", header: e.loginAs("admin"), wantStatus: 200, want: []string{
		"integritas_committer_queued 0", "integritas_committer_stored_total 2", "integritas_committer_refused_total 0",
		"integritas_committer_failed_total 0", "integritas_committer_commits_total 2",
	}}})
}
