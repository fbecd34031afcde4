package server

import (
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"integritas/assets"
	"integritas/config"
	"integritas/locale"
	"integritas/mail"
	"integritas/results"
	"integritas/survey"
)

// Options are the dependencies of a Server.
type Options struct {
	Store  *survey.Store
	Config config.Config
	Log    *slog.Logger
	Now    func() time.Time // nil: time.Now
	Assets fs.FS            // nil: the embedded assets
	// Metrics, when set, is called at every /metrics scrape; each key
	// becomes a gauge integritas_<key> (e.g. "committer_queue_depth").
	Metrics func() map[string]float64

	// Mail queues the inspectorate's e-mail; its worker, when set, sends
	// it. nil: messages wait in the queue for `integritas mail send`.
	Mail *mail.Mailer
	// Committer stores respondents' answers; nil: New starts one on Store
	// and Close stops it.
	Committer *survey.Committer
	// Outbox, when set, is the local mail sink whose messages admins read
	// at /admin/outbox (serve --mail-sink, demo).
	Outbox *mail.Outbox
	// OpenLinkLimit bounds open-link submissions per client address; the
	// zero value means the defaults (see ratelimit.go).
	OpenLinkLimit RateLimit
}

// Server holds the handlers' dependencies; it has no global state, so tests
// can run many side by side.
type Server struct {
	store  *survey.Store
	cfg    config.Config
	log    *slog.Logger
	now    func() time.Time
	bundle *locale.Bundle
	pages  pages
	engine *gin.Engine

	insp      *inspectorate // the inspectorate's mail queue and packet build jobs
	limiter   *loginLimiter // failed staff logins per e-mail and address
	nodes     *nodeShare    // servers sharing the database, for the in-memory limits' shares
	proxyHint proxyHint     // requests per private address, for the proxy warning (transport.go)
	metrics   *metrics
	results   *results.Cache    // computed results per period, recomputed when its data changes
	charts    *chartCache       // drawn charts by ETag (chart_cache.go)
	quality   *qualityMemo      // data-quality flags of the cached results (dash_quality_memo.go)
	committer *survey.Committer // the single writer of answers; Stats() feeds /metrics
	resp      *respondents      // respondent pages' caches and rate limits
	outbox    *mail.Outbox      // the local mail sink, or nil
}

// New builds a Server, parsing templates and locales; any problem fails here.
func New(o Options) (*Server, error) {
	if o.Store == nil {
		return nil, fmt.Errorf("server: no store")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Assets == nil {
		o.Assets = assets.FS
	}
	if err := applyOrg(&o); err != nil {
		return nil, err
	}
	s := &Server{store: o.Store, cfg: o.Config, log: o.Log, now: o.Now, limiter: newLoginLimiter(), results: results.NewCache(o.Store), charts: newChartCache(64 << 20), quality: newQualityMemo()}
	s.metrics = newMetrics(s, o.Metrics)
	s.outbox = o.Outbox
	var err error
	if s.bundle, err = locale.Load(o.Assets); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(o.Assets); err != nil {
		return nil, err
	}
	if err := s.initInspectorate(o); err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	s.engine = gin.New()
	if err := s.engine.SetTrustedProxies(o.Config.TrustedProxies); err != nil {
		return nil, fmt.Errorf("server: trusted proxies: %w", err)
	}
	s.engine.ContextWithFallback = true
	if err := s.initRespondents(o); err != nil { // last but one: it starts the answer writer
		return nil, err
	}
	s.startNodeShare()
	s.limiter.nodes, s.resp.limiter.nodes, s.resp.open.nodes = s.nodes, s.nodes, s.nodes
	s.routes(s.engine, o.Assets)
	return s, nil
}

// Handler is the whole HTTP surface, with cross-origin (CSRF) protection on
// every unsafe method: browsers say where a request comes from
// (Sec-Fetch-Site, Origin), and a cross-site form post is refused.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintln(w, "Permintaan lintas situs ditolak. / Cross-site request refused.")
	}))
	return cop.Handler(s.engine)
}
