package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// ErrCommitterClosed means the server is stopping and took no more answers.
var ErrCommitterClosed = errors.New("survey: committer closed")

// Submission is one respondent's answers on their way to the database. For an
// invitation, TokenHash names it: the invitation is marked used in the same
// transaction that puts the sealed answers into the pool (pool.go). The
// response released from the pool never learns which invitation it came from.
type Submission struct {
	TokenHash []byte // nil for an open link
	Response  NewResponse
	Open      *OpenCheck // an open link's signed form and device cap (committer_open.go); nil otherwise
}

// CommitterStats are the committer's counters, for /metrics.
type CommitterStats struct {
	Queued  int    // submissions waiting for the writer now
	Stored  uint64 // responses committed since start
	Refused uint64 // submissions refused: invitation used or unknown, period closed
	Failed  uint64 // submissions lost to a database error (the client was told)
	Batches uint64 // transactions committed

	ReleaseFailed uint64 // pool releases that failed (the answers wait in the pool for the next)
}

// Committer is the single writer of respondents' answers. Handlers hand it
// submissions; it commits every submission waiting at that moment in ONE
// transaction (group commit), each under its own SAVEPOINT so that one bad
// submission fails alone, and answers each handler only after COMMIT
// returned. With synchronous=FULL an acknowledged response is on disk, and
// one fsync serves the whole batch.
type Committer struct {
	st       *Store
	reqs     chan *commitReq
	quit     chan struct{}
	done     chan struct{}
	mu       sync.RWMutex // held for reading while sending, for writing to close
	closed   bool
	maxBatch int
	stmts    *commitStmts

	stored, refused, failed, batches atomic.Uint64
	releaseFailed                    atomic.Uint64

	released  bool      // a release since the last WAL truncation (writer goroutine only)
	truncated time.Time // when the WAL was last truncated

	delay time.Duration // how long a busy writer waits for company (WithCommitDelay)
	wait  *time.Timer   // that wait, one timer for the writer's life rather than one per batch
	quiet *time.Timer   // fires when the writer has been idle for quietAfter
}

type commitReq struct {
	sub  *Submission
	done chan error
}

var reqPool = sync.Pool{New: func() any { return &commitReq{done: make(chan error, 1)} }}

// NewCommitter starts the writer goroutine. Close stops it.
func (s *Store) NewCommitter(ctx context.Context) (*Committer, error) {
	stmts, err := prepareCommitStmts(ctx, s.w)
	if err != nil {
		return nil, fmt.Errorf("survey: committer: %w", err)
	}
	c := &Committer{st: s, reqs: make(chan *commitReq, 4096), quit: make(chan struct{}), done: make(chan struct{}),
		maxBatch: 512, stmts: stmts, delay: s.commitDelay, wait: time.NewTimer(time.Hour), quiet: time.NewTimer(time.Hour)}
	c.wait.Stop()
	c.quiet.Stop()
	// Submissions acknowledged before a crash may wait in a pool that is
	// already due. A failure leaves them waiting (counted in the stats)
	// rather than keep the server from taking answers.
	if _, err := s.ReleaseDue(ctx); err != nil {
		c.releaseFailed.Add(1)
	}
	go c.loop()
	return c, nil
}

// Submit queues a submission and waits until it is committed (nil) or
// refused: ErrUsed (invitation already used), ErrNotFound (unknown
// invitation), ErrClosed (period not accepting answers), or another error.
// Once queued, a submission is committed or refused even if ctx ends.
func (c *Committer) Submit(ctx context.Context, sub *Submission) error {
	req := reqPool.Get().(*commitReq)
	req.sub = sub
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		reqPool.Put(req)
		return ErrCommitterClosed
	}
	select {
	case c.reqs <- req:
	case <-ctx.Done():
		c.mu.RUnlock()
		reqPool.Put(req)
		return ctx.Err()
	}
	c.mu.RUnlock()
	err := <-req.done
	req.sub = nil
	reqPool.Put(req)
	return err
}

// Stats reports the queue depth and the counters.
func (c *Committer) Stats() CommitterStats {
	return CommitterStats{Queued: len(c.reqs), Stored: c.stored.Load(), Refused: c.refused.Load(),
		Failed: c.failed.Load(), Batches: c.batches.Load(), ReleaseFailed: c.releaseFailed.Load()}
}

// Close refuses new submissions, commits those already queued, and stops.
func (c *Committer) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		<-c.done
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	close(c.quit)
	<-c.done
	return c.stmts.close()
}

// loop is the writer. A submission that finds the writer idle is
// committed at once; one that finds it busy — the last batch had company,
// or more submissions are already queued — waits up to delay for others to
// share its transaction and its fsync. Under load that turns many small
// commits (each an fsync, a wake-up, and every reader's page cache
// dropped) into a few larger ones, for a latency bounded by delay; a lone
// respondent never waits.
func (c *Committer) loop() {
	defer close(c.done)
	batch := make([]*commitReq, 0, c.maxBatch)
	busy := false
	for {
		var quiet <-chan time.Time
		if c.released {
			c.quiet.Reset(quietAfter)
			quiet = c.quiet.C
		}
		select {
		case r := <-c.reqs:
			batch = c.fill(append(batch[:0], r))
			if c.delay > 0 && (busy || len(batch) > 1) && len(batch) < c.maxBatch {
				// One sleep, not a wake-up per arrival: submissions queue in
				// the channel meanwhile.
				c.wait.Reset(c.delay)
				select {
				case <-c.wait.C:
				case <-c.quit:
					c.wait.Stop()
				}
				batch = c.fill(batch)
			}
			c.commit(batch)
			busy = len(batch) > 1 || len(c.reqs) > 0
		case <-quiet:
			c.truncate()
		case <-c.quit:
			// No sender is left (closed is set under the write lock), so
			// what is in the channel now is all there will be.
			for len(c.reqs) > 0 {
				c.commit(c.fill(batch[:0]))
			}
			if c.released {
				c.truncate()
			}
			return
		}
	}
}

// quietAfter is how long the writer must have nothing to do before it
// truncates the WAL after a release: under steady load the queue is empty
// for an instant after every batch, which is no quiet moment.
const quietAfter = 20 * time.Millisecond

// truncate checkpoints and truncates the WAL (defence in depth: what it
// holds of released pool rows is sealed).
func (c *Committer) truncate() {
	c.st.truncateWAL(context.Background())
	c.released, c.truncated = false, time.Now()
}

// fill adds every waiting submission to the batch, up to maxBatch.
func (c *Committer) fill(batch []*commitReq) []*commitReq {
	for len(batch) < c.maxBatch {
		select {
		case r := <-c.reqs:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// commit stores a batch in one transaction and answers every waiter after
// COMMIT. The fast path writes without savepoints: every refusal (used or
// unknown invitation, period not accepting) is found before its submission
// writes anything. Should a submission fail after writing — a database
// error, not a refusal — the transaction is rolled back and the batch runs
// again with a SAVEPOINT per submission, so that it fails alone.
func (c *Committer) commit(batch []*commitReq) {
	errs, err := c.run(batch, false)
	// Another process (a large paper import, a restore check) may hold the
	// write lock past the busy timeout: wait for it rather than fail the
	// respondents, who are still waiting for their answer.
	for wait, start := 20*time.Millisecond, time.Now(); isBusy(err) && time.Since(start) < maxBusyWait; wait = min(2*wait, time.Second) {
		time.Sleep(wait)
		errs, err = c.run(batch, false)
	}
	if errors.Is(err, errPartialWrite) {
		errs, err = c.run(batch, true)
	}
	if err != nil {
		err = fmt.Errorf("survey: commit %d submissions: %w", len(batch), err)
		c.failed.Add(uint64(len(batch)))
		for _, r := range batch {
			r.done <- err
		}
		return
	}
	c.batches.Add(1)
	for _, e := range errs {
		switch {
		case e == nil:
			c.stored.Add(1)
		case errors.Is(e, ErrUsed), errors.Is(e, ErrNotFound), errors.Is(e, ErrClosed), errors.Is(e, ErrReplayed), errors.Is(e, ErrCapped):
			c.refused.Add(1)
		default:
			c.failed.Add(1)
		}
	}
	for i, r := range batch {
		r.done <- errs[i]
	}
	// Truncating the WAL costs a checkpoint and its fsyncs, so it waits for
	// a quiet moment (loop) or, under sustained load, for truncateEvery.
	if c.released && time.Since(c.truncated) > truncateEvery {
		c.truncate()
	}
}

// truncateEvery is the longest the committer leaves released pool rows'
// frames in the WAL under sustained load.
const truncateEvery = 5 * time.Second

// maxBusyWait bounds how long a batch waits for another writer, beyond the
// connection's own 5 s busy timeout; the HTTP write timeout is longer.
const maxBusyWait = 60 * time.Second

// isBusy reports whether err is SQLite's "database is locked" or "busy".
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// errPartialWrite asks commit to run the batch again with savepoints.
var errPartialWrite = errors.New("survey: a submission failed after writing")

// run is one attempt at a batch's transaction; per-submission outcomes are
// in the returned slice, a transaction-wide failure in the error.
func (c *Committer) run(batch []*commitReq, savepoints bool) ([]error, error) {
	ctx := context.Background()
	errs := make([]error, len(batch))
	now := c.st.now()
	err := c.st.tx(ctx, func(tx *sql.Tx) error {
		st := c.stmts.in(ctx, tx, c.st, now)
		defer st.close()
		for i, r := range batch {
			ok, err := st.accepting(ctx, r.sub.Response.PeriodID, r.sub.Response.UnitID)
			if err != nil {
				return err
			}
			if !ok {
				errs[i] = fmt.Errorf("survey: submit: %w", ErrClosed)
				continue
			}
			if savepoints {
				if _, err := tx.ExecContext(ctx, "SAVEPOINT sub"); err != nil {
					return err
				}
			}
			wrote, err := applyOpen(ctx, tx, r.sub, st.day)
			if err == nil {
				var w bool
				w, err = st.apply(ctx, r.sub)
				wrote = wrote || w
			}
			errs[i] = err
			switch {
			case err != nil && wrote && !savepoints:
				return errPartialWrite
			case err != nil && wrote:
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO sub"); err != nil {
					return err
				}
			}
			if savepoints {
				if _, err := tx.ExecContext(ctx, "RELEASE sub"); err != nil {
					return err
				}
			}
		}
		return c.release(ctx, tx, batch, errs)
	})
	return errs, err
}

// release releases, in the batch's own transaction (one fsync serves
// both), what has become due in the pools the batch added to. It runs under
// a savepoint: a failure leaves those answers waiting in the pool for the
// next batch, a restart or the close, and never fails the batch.
func (c *Committer) release(ctx context.Context, tx *sql.Tx, batch []*commitReq, errs []error) error {
	var due []group
	seen := map[group]bool{}
	for i, e := range errs {
		r := &batch[i].sub.Response
		if g := (group{r.PeriodID, r.UnitID, r.Type}); e == nil && !seen[g] {
			seen[g] = true
			due = append(due, g)
		}
	}
	if len(due) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SAVEPOINT release"); err != nil {
		return err
	}
	for _, g := range due {
		n, err := c.st.releaseGroup(ctx, tx, g, false)
		if err != nil {
			c.releaseFailed.Add(1)
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO release"); err != nil {
				return err
			}
			break
		}
		c.released = c.released || n > 0
	}
	_, err := tx.ExecContext(ctx, "RELEASE release")
	return err
}
