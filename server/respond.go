package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"integritas/seal"
	"integritas/survey"
)

// respondents holds what the respondent pages keep between requests: the
// questionnaire skeletons, a short-lived period cache, and the open-link
// rate limiter. It belongs to one Server (no package-level state).
type respondents struct {
	ownCommitter bool
	limiter      *ipLimiter
	finder       *survey.InvitationFinder
	formKey      *seal.Key  // signs open-link forms (open_form.go)
	open         *openGuard // address caps, refusal counts, spikes (open_guard.go)

	forms  sync.Map // formKey -> *skeletonEntry; instruments never change
	thanks sync.Map // language -> the thanks page ([]byte)

	names     sync.Map     // unit name -> as escaped on the questionnaire (respond_cache.go)
	nameCount atomic.Int64 // entries in names, roughly
	buffers   sync.Pool    // *bytes.Buffer for rendering pages

	mu      sync.Mutex
	periods map[string]*periodEntry // by period code
	byID    map[int64]string        // period id -> code
	qr      map[string][]byte       // open link -> its QR code PNG
}

// periodTTL is how long a period (its status, dates and units) is reused
// before it is read again. The committer checks status and dates inside its
// transaction, so a stale entry can only show a page, never store an answer
// into a closed period.
const periodTTL = time.Second

type periodEntry struct {
	p      *survey.Period
	units  map[string]survey.Unit
	loaded time.Time // wall clock of the process, not the injected one: this is caching, not a result
}

// initRespondents sets up the committer (starting one when Options has
// none), the rate limiter and the caches.
func (s *Server) initRespondents(o Options) error {
	s.resp = &respondents{periods: map[string]*periodEntry{}, byID: map[int64]string{}, qr: map[string][]byte{},
		buffers: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	var err error
	if s.resp.limiter, err = newIPLimiter(o.OpenLinkLimit); err != nil {
		return err
	}
	s.resp.formKey = openFormKey(o.Store.Key())
	if s.resp.open, err = newOpenGuard(o.Config.OpenAddressCap); err != nil {
		return err
	}
	if s.resp.finder, err = o.Store.NewInvitationFinder(context.Background()); err != nil {
		return err
	}
	s.committer = o.Committer
	if s.committer == nil { // last: nothing after it can fail and leave it running
		c, err := o.Store.NewCommitter(context.Background())
		if err != nil {
			s.resp.finder.Close()
			return fmt.Errorf("server: %w", err)
		}
		s.committer, s.resp.ownCommitter = c, true
	}
	s.metrics.reg.MustRegister(&committerCollector{c: s.committer})
	return nil
}

// Close stops what the Server started: the committer it owns, after the
// submissions already queued are committed. Call it after the HTTP server
// has shut down.
func (s *Server) Close() error {
	if s.resp == nil {
		return nil
	}
	nerr := s.stopNodeShare()
	var err error
	if s.resp.ownCommitter {
		err = s.committer.Close()
	}
	ferr := s.resp.open.flush(context.Background(), s.store, s.now()) // refusal counts not yet written
	return errors.Join(err, ferr, nerr, s.resp.finder.Close())
}

// Committer is the writer of respondents' answers; its Stats feed /metrics.
func (s *Server) Committer() *survey.Committer { return s.committer }

// respondPeriod returns a period and its units by code, from the cache when
// fresh.
func (s *Server) respondPeriod(ctx context.Context, code string) (*periodEntry, error) {
	r := s.resp
	r.mu.Lock()
	e := r.periods[code]
	r.mu.Unlock()
	if e != nil && time.Since(e.loaded) < periodTTL {
		return e, nil
	}
	p, err := s.store.Period(ctx, code)
	if err != nil {
		return nil, err
	}
	units, err := s.store.Units(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	e = &periodEntry{p: p, units: make(map[string]survey.Unit, len(units)), loaded: time.Now()}
	for _, u := range units {
		e.units[u.Code] = u
	}
	r.mu.Lock()
	if len(r.periods) > 256 { // periods are few; bound the maps anyway
		clear(r.periods)
		clear(r.byID)
	}
	r.periods[code] = e
	r.byID[p.ID] = code
	r.mu.Unlock()
	return e, nil
}

// respondPeriodByID is respondPeriod for an invitation's period id.
func (s *Server) respondPeriodByID(ctx context.Context, id int64) (*periodEntry, error) {
	s.resp.mu.Lock()
	code, ok := s.resp.byID[id]
	s.resp.mu.Unlock()
	if !ok {
		p, err := s.store.PeriodByID(ctx, id)
		if err != nil {
			return nil, err
		}
		code = p.Code
	}
	return s.respondPeriod(ctx, code)
}

// unit returns the period's unit with the code, or ErrNotFound.
func (e *periodEntry) unit(code string) (survey.Unit, error) {
	u, ok := e.units[code]
	if !ok {
		return survey.Unit{}, fmt.Errorf("server: unit %q in period %s: %w", code, e.p.Code, survey.ErrNotFound)
	}
	return u, nil
}

// accepting refuses with errSurveyClosed when the period takes no answers.
func (s *Server) accepting(p *survey.Period) error {
	if !p.Accepting(s.now()) {
		return fmt.Errorf("period %s: %w", p.Code, errSurveyClosed)
	}
	return nil
}

// submitErr turns a committer refusal into the error the pages show.
func submitErr(err error) error {
	switch {
	case errors.Is(err, survey.ErrClosed):
		return fmt.Errorf("%w: %w", errSurveyClosed, err)
	case errors.Is(err, survey.ErrNotFound):
		return fmt.Errorf("%w: %w", errLinkUnknown, err)
	}
	return err
}
