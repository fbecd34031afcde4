package survey

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// ErrCommitterClosed means the server is stopping and took no more answers.
var ErrCommitterClosed = errors.New("survey: committer closed")

// ErrCommitterBusy means the writer's queue is full: the submission was not
// taken, nothing of it is stored, and the respondent may send it again.
var ErrCommitterBusy = errors.New("survey: committer busy")

// maxQueue bounds the submissions waiting for the writer: eight full
// batches, about 8 × 2 ms of commit delay plus eight fsyncs. A longer
// queue only means answers that wait longer than a respondent would, each
// holding its request's memory; past it a submission is refused at once
// (503, the form kept) rather than queued without end.
const maxQueue = 8 * 512

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
	Busy    uint64 // submissions turned away because the queue was full (ErrCommitterBusy)

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
	quit     chan struct{}
	done     chan struct{}
	maxBatch int
	maxQueue int      // submissions that may wait; past it Submit answers ErrCommitterBusy
	seal     sealBufs // the writer's (whoever holds writing)

	// The writer is whoever holds writing: a submitter that found it idle
	// (Submit commits its lone submission in its own goroutine) or the
	// writer goroutine (loop), which commits what queued meanwhile.
	// Handing a lone submission to a parked writer goroutine and its
	// answer back cost two goroutine wake-ups, each a thread woken on the
	// other core; at 300 responses/s nearly every response commits alone.
	// With connTx: BenchmarkCommitterLone 576/614/861 -> 402/649/434
	// cpu-µs per answer, context switches of the run 15.9k/14.6k/19.6k ->
	// 6.9k/10.9k/6.7k (three runs each in the order run, load 3.5, 6 December).
	mu      sync.Mutex
	closed  bool
	writing bool          // someone is the writer; queue non-empty implies writing
	hot     bool          // the last batch had company or left a queue: the next waits delay for more
	armed   bool          // the quiet timer is armed, or loop is poked to arm it
	queue   []*commitReq  // submissions waiting for the writer goroutine
	kick    chan struct{} // cap 1: writing was set for loop; it is to commit the queue
	poke    chan struct{} // cap 1: a release is waiting for its WAL truncation; loop arms the quiet timer

	stored, refused, failed, batches atomic.Uint64
	busy                             atomic.Uint64
	releaseFailed                    atomic.Uint64

	// The writer's own (whoever holds writing).
	released  bool      // a release since the last WAL truncation
	truncated time.Time // when the WAL was last truncated
	lastDone  time.Time // when the last batch ended (under mu), for the quiet timer

	delay time.Duration // how long a busy writer waits for company (WithCommitDelay)
	wait  *time.Timer   // that wait, one timer for the writer's life rather than one per batch
	quiet *time.Timer   // fires when the writer may have been idle for quietAfter (loop's)
}

type commitReq struct {
	sub  *Submission
	done chan error
	self [1]*commitReq // an inline commit's batch, without an allocation
}

var reqPool = sync.Pool{New: func() any { return &commitReq{done: make(chan error, 1)} }}

// NewCommitter starts the writer goroutine. Close stops it.
func (s *Store) NewCommitter(ctx context.Context) (*Committer, error) {
	c := &Committer{st: s, quit: make(chan struct{}), done: make(chan struct{}), kick: make(chan struct{}, 1), poke: make(chan struct{}, 1),
		maxBatch: 512, maxQueue: maxQueue, delay: s.commitDelay, wait: time.NewTimer(time.Hour), quiet: time.NewTimer(time.Hour)}
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
// invitation), ErrClosed (period not accepting answers), ErrCommitterBusy
// (the queue is full; nothing was taken), or another error. Once queued, a
// submission is committed or refused even if ctx ends.
//
// A submission that finds the writer idle — nothing being committed or
// queued, the last batch alone — is committed at once in the caller's
// goroutine, by the same code as the writer goroutine's batches; a lone
// respondent never waits for company.
func (c *Committer) Submit(ctx context.Context, sub *Submission) error {
	req := reqPool.Get().(*commitReq)
	req.sub = sub
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		reqPool.Put(req)
		return ErrCommitterClosed
	}
	if !c.writing && !c.hot {
		c.writing = true
		c.mu.Unlock()
		req.self[0] = req
		c.commitInline(req.self[:])
		req.self[0] = nil
	} else {
		if err := ctx.Err(); err != nil {
			c.mu.Unlock()
			reqPool.Put(req)
			return err
		}
		if len(c.queue) >= c.maxQueue {
			c.mu.Unlock()
			reqPool.Put(req)
			c.busy.Add(1)
			return ErrCommitterBusy
		}
		c.queue = append(c.queue, req)
		if !c.writing {
			c.writing = true
			c.kick <- struct{}{} // cap 1, sent only by whoever sets writing: never blocks
		}
		c.mu.Unlock()
	}
	err := <-req.done
	req.sub = nil
	reqPool.Put(req)
	return err
}

// commitInline commits a lone submission in the caller's goroutine (which
// set writing), then hands on. Deferred, so that even a panic gives the
// writer up and leaves no submission waiting forever.
func (c *Committer) commitInline(batch []*commitReq) {
	defer func() {
		c.mu.Lock()
		c.hot = len(c.queue) > 0
		c.handOn()
		c.mu.Unlock()
	}()
	c.commit(batch)
}

// handOn ends the writer's turn (mu held): the writer goroutine takes the
// queue if there is one, else the writer is idle. After a release it has
// the writer goroutine arm the quiet timer, once per release rather than
// once per batch.
func (c *Committer) handOn() {
	c.lastDone = time.Now()
	if c.released && !c.armed {
		c.armed = true
		c.poke <- struct{}{} // cap 1, sent only when armed was false: never blocks
	}
	if len(c.queue) == 0 {
		c.writing = false
		return
	}
	c.kick <- struct{}{} // writing stays set, now for loop
}

// Stats reports the queue depth and the counters.
func (c *Committer) Stats() CommitterStats {
	c.mu.Lock()
	queued := len(c.queue)
	c.mu.Unlock()
	return CommitterStats{Queued: queued, Stored: c.stored.Load(), Refused: c.refused.Load(),
		Failed: c.failed.Load(), Batches: c.batches.Load(), Busy: c.busy.Load(), ReleaseFailed: c.releaseFailed.Load()}
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
	return nil
}

// truncate checkpoints and truncates the WAL (defence in depth: what it
// holds of released pool rows is sealed).
func (c *Committer) truncate() {
	c.st.truncateWAL(context.Background())
	c.released, c.truncated = false, time.Now()
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

// errPartialWrite asks commit to run the batch again with savepoints.
var errPartialWrite = errors.New("survey: a submission failed after writing")

// run is one attempt at a batch's transaction; per-submission outcomes are
// in the returned slice, a transaction-wide failure in the error.
func (c *Committer) run(batch []*commitReq, savepoints bool) ([]error, error) {
	ctx := context.Background()
	errs := make([]error, len(batch))
	now := c.st.now()
	err := c.st.connTx(ctx, func(tx txQ) error {
		st := newTxStmts(tx, c.st, &c.seal, now)
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
		return c.release(ctx, st, batch, errs)
	})
	return errs, err
}

// release releases, in the batch's own transaction (one fsync serves
// both), what has become due in the pools the batch added to. The writes
// run under a savepoint, taken only when something is due: a failure
// leaves those answers waiting in the pool for the next batch, a restart
// or the close, and never fails the batch. The reads before it are not
// covered: on PostgreSQL a failed read aborts the transaction, so the
// batch fails as a whole and none of it is acknowledged.
func (c *Committer) release(ctx context.Context, st *txStmts, batch []*commitReq, errs []error) error {
	type due struct {
		g   group
		ids []int64
		n   int
	}
	var dues []due
	seen := map[group]bool{}
	for i, e := range errs {
		r := &batch[i].sub.Response
		g := group{r.PeriodID, r.UnitID, r.Type}
		if e != nil || seen[g] {
			continue
		}
		seen[g] = true
		// k was read with the period's status, in this transaction.
		ids, n, err := c.st.duePool(ctx, st.q, g, st.ks[g.period], false)
		if err != nil {
			c.releaseFailed.Add(1)
			return nil
		}
		if n > 0 {
			dues = append(dues, due{g, ids, n})
		}
	}
	if len(dues) == 0 {
		return nil
	}
	tx := st.q
	if _, err := tx.ExecContext(ctx, "SAVEPOINT release"); err != nil {
		return err
	}
	for _, d := range dues {
		if err := c.st.releaseIDs(ctx, tx, d.g, d.ids, d.n); err != nil {
			c.releaseFailed.Add(1)
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO release"); err != nil {
				return err
			}
			break
		}
		c.released = true
	}
	_, err := tx.ExecContext(ctx, "RELEASE release")
	return err
}
