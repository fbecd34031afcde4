package server

import (
	"context"
	"crypto/subtle"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics is the server's own Prometheus registry (no global default
// registry: tests run many servers side by side).
type metrics struct {
	reg           *prometheus.Registry
	requests      *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	loginFailures prometheus.Counter
}

// newMetrics registers the HTTP metrics, database totals, Go runtime and
// process metrics, and the gauges reported by hook (Options.Metrics).
func newMetrics(s *Server, hook func() map[string]float64) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "integritas_http_requests_total",
		Help: "HTTP requests by route pattern, method and status."}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "integritas_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"route"})
	m.loginFailures = prometheus.NewCounter(prometheus.CounterOpts{Name: "integritas_login_failures_total",
		Help: "Refused staff logins (wrong e-mail or password, locked, throttled)."})
	m.reg.MustRegister(m.requests, m.latency, m.loginFailures,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&storeCollector{s: s}, &hookCollector{fn: hook})
	return m
}

// observeRequests counts every request under its route pattern (never the
// raw path, which can hold tokens; unmatched paths share one label).
func (s *Server) observeRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	s.metrics.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
	s.metrics.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
}

// metricsAccess admits an admin (session or API token) or the dedicated
// scrape token (INTEGRITAS_METRICS_TOKEN). Live submission counts are not
// for every token holder: a viewer's token used to read them. Anonymous:
// 401; everyone else: 403.
func (s *Server) metricsAccess(c *gin.Context) {
	u := currentUser(c)
	switch {
	case c.GetBool(scrapeKey):
		c.Next()
	case u == nil:
		s.unauthenticated(c)
	case u.Role == roleAdmin:
		c.Next()
	default:
		s.fail(c, errForbidden)
	}
}

// scrapeKey marks a /metrics request that carried the scrape token.
const scrapeKey = "integritas.scrape"

// scrapeToken reports (and marks) a /metrics request with the configured
// scrape token, compared in constant time.
func (s *Server) scrapeToken(c *gin.Context) bool {
	tok, ok := bearerToken(c)
	if !ok || s.cfg.MetricsToken == "" || c.FullPath() != "/metrics" ||
		subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.MetricsToken)) != 1 {
		return false
	}
	c.Set(scrapeKey, true)
	return true
}

// metricsPage writes the Prometheus text exposition.
func (s *Server) metricsPage(c *gin.Context) {
	promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}).ServeHTTP(c.Writer, c.Request)
}

var (
	descResponses = prometheus.NewDesc("integritas_responses_stored", "Responses stored, all periods.", nil, nil)
	descUsers     = prometheus.NewDesc("integritas_users", "Staff accounts.", nil, nil)
	descSessions  = prometheus.NewDesc("integritas_sessions", "Stored staff sessions.", nil, nil)
)

// storeCollector reads the database totals at scrape time.
type storeCollector struct{ s *Server }

func (sc *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descResponses
	ch <- descUsers
	ch <- descSessions
}

func (sc *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := sc.s.store.Stats(ctx)
	if err != nil {
		sc.s.log.Error("metrics", "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(descResponses, prometheus.GaugeValue, float64(st.Responses))
	ch <- prometheus.MustNewConstMetric(descUsers, prometheus.GaugeValue, float64(st.Users))
	ch <- prometheus.MustNewConstMetric(descSessions, prometheus.GaugeValue, float64(st.Sessions))
}

var metricName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// hookCollector turns Options.Metrics into gauges integritas_<key>, e.g.
// "committer_queue_depth" → integritas_committer_queue_depth. Keys that are
// not lower_snake_case are skipped.
type hookCollector struct{ fn func() map[string]float64 }

func (hc *hookCollector) Describe(chan<- *prometheus.Desc) {} // unchecked: keys are dynamic

func (hc *hookCollector) Collect(ch chan<- prometheus.Metric) {
	if hc.fn == nil {
		return
	}
	vals := hc.fn()
	keys := make([]string, 0, len(vals))
	for k := range vals {
		if metricName.MatchString(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		d := prometheus.NewDesc("integritas_"+k, "Reported by a component through server.Options.Metrics.", nil, nil)
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, vals[k])
	}
}
