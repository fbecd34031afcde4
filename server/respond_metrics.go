package server

import (
	"github.com/prometheus/client_golang/prometheus"

	"integritas/survey"
)

// committerCollector exposes the answer writer's counters at /metrics: the
// queue depth now, and responses stored, refused, failed and turned away
// busy, and commits, since the server started.
type committerCollector struct{ c *survey.Committer }

var (
	descCommitQueued  = prometheus.NewDesc("integritas_committer_queued", "Submissions waiting for the answer writer.", nil, nil)
	descCommitStored  = prometheus.NewDesc("integritas_committer_stored_total", "Responses committed since start.", nil, nil)
	descCommitRefused = prometheus.NewDesc("integritas_committer_refused_total", "Submissions refused: invitation used or unknown, period not accepting.", nil, nil)
	descCommitFailed  = prometheus.NewDesc("integritas_committer_failed_total", "Submissions lost to a database error (the respondent was told).", nil, nil)
	descCommitBatches = prometheus.NewDesc("integritas_committer_commits_total", "Transactions committed (group commits).", nil, nil)
	descCommitBusy    = prometheus.NewDesc("integritas_committer_busy_total", "Submissions turned away because the writer's queue was full (503, the form kept).", nil, nil)
)

func (cc *committerCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descCommitQueued, descCommitStored, descCommitRefused, descCommitFailed, descCommitBatches, descCommitBusy} {
		ch <- d
	}
}

func (cc *committerCollector) Collect(ch chan<- prometheus.Metric) {
	st := cc.c.Stats()
	ch <- prometheus.MustNewConstMetric(descCommitQueued, prometheus.GaugeValue, float64(st.Queued))
	ch <- prometheus.MustNewConstMetric(descCommitStored, prometheus.CounterValue, float64(st.Stored))
	ch <- prometheus.MustNewConstMetric(descCommitRefused, prometheus.CounterValue, float64(st.Refused))
	ch <- prometheus.MustNewConstMetric(descCommitFailed, prometheus.CounterValue, float64(st.Failed))
	ch <- prometheus.MustNewConstMetric(descCommitBatches, prometheus.CounterValue, float64(st.Batches))
	ch <- prometheus.MustNewConstMetric(descCommitBusy, prometheus.CounterValue, float64(st.Busy))
}
