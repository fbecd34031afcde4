package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// ErrCommitterClosed means the server is stopping and took no more answers.
var ErrCommitterClosed = errors.New("survey: committer closed")

// Submission is one respondent's answers on their way to the database. For an
// invitation, TokenHash names it: the invitation is marked used in the same
// transaction that stores the response. The response itself never learns
// which invitation it came from.
type Submission struct {
	TokenHash []byte // nil for an open link
	Response  NewResponse
}

// CommitterStats are the committer's counters, for /metrics.
type CommitterStats struct {
	Queued  int    // submissions waiting for the writer now
	Stored  uint64 // responses committed since start
	Refused uint64 // submissions refused: invitation used or unknown, period closed
	Failed  uint64 // submissions lost to a database error (the client was told)
	Batches uint64 // transactions committed
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
		maxBatch: 512, stmts: stmts}
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
		Failed: c.failed.Load(), Batches: c.batches.Load()}
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

func (c *Committer) loop() {
	defer close(c.done)
	batch := make([]*commitReq, 0, c.maxBatch)
	for {
		select {
		case r := <-c.reqs:
			batch = c.fill(append(batch[:0], r))
			c.commit(batch)
		case <-c.quit:
			// No sender is left (closed is set under the write lock), so
			// what is in the channel now is all there will be.
			for len(c.reqs) > 0 {
				c.commit(c.fill(batch[:0]))
			}
			return
		}
	}
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
// COMMIT: a refused submission rolls back to its savepoint alone.
func (c *Committer) commit(batch []*commitReq) {
	ctx := context.Background()
	errs := make([]error, len(batch))
	ok := 0
	now := c.st.now()
	err := c.st.tx(ctx, func(tx *sql.Tx) error {
		st := c.stmts.in(ctx, tx)
		defer st.close()
		for i, r := range batch {
			if _, err := tx.ExecContext(ctx, "SAVEPOINT sub"); err != nil {
				return err
			}
			if errs[i] = st.apply(ctx, r.sub, now); errs[i] != nil {
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO sub"); err != nil {
					return err
				}
			} else {
				ok++
			}
			if _, err := tx.ExecContext(ctx, "RELEASE sub"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		err = fmt.Errorf("survey: commit %d submissions: %w", len(batch), err)
		c.failed.Add(uint64(len(batch)))
		for _, r := range batch {
			r.done <- err
		}
		return
	}
	c.batches.Add(1)
	c.stored.Add(uint64(ok))
	for _, e := range errs {
		switch {
		case e == nil:
		case errors.Is(e, ErrUsed), errors.Is(e, ErrNotFound), errors.Is(e, ErrClosed):
			c.refused.Add(1)
		default:
			c.failed.Add(1)
		}
	}
	for i, r := range batch {
		r.done <- errs[i]
	}
}
