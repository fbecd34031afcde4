package survey

import "time"

// The writer goroutine: what queued while another batch was committed,
// the commit delay under load, the drain at Close and the quiet-time WAL
// truncation.

// loop is the writer goroutine. It commits what queued while another
// batch was being committed, and the submissions that come while the
// writer is hot: one that finds the last batch with company, or more
// submissions already queued, waits up to delay for others to share its
// transaction and its fsync. Under load that turns many small commits
// (each an fsync, a wake-up, and every reader's page cache dropped) into
// a few larger ones, for a latency bounded by delay; a lone respondent
// never waits (Submit commits it at once).
func (c *Committer) loop() {
	defer close(c.done)
	batch := make([]*commitReq, 0, c.maxBatch)
	for {
		select {
		case <-c.kick:
			batch = c.writeQueue(batch)
		case <-c.poke:
			c.quiet.Reset(quietAfter)
		case <-c.quiet.C:
			c.quietTick()
		case <-c.quit:
			c.drain(batch)
			return
		}
	}
}

// writeQueue commits the queue, batch after batch, until it is empty
// (writing was set for loop by whoever kicked it).
func (c *Committer) writeQueue(batch []*commitReq) []*commitReq {
	for {
		batch = c.take(batch[:0])
		c.mu.Lock()
		hot := c.hot
		c.mu.Unlock()
		if c.delay > 0 && (hot || len(batch) > 1) && len(batch) < c.maxBatch {
			// One sleep, not a wake-up per arrival: submissions queue
			// meanwhile.
			c.wait.Reset(c.delay)
			select {
			case <-c.wait.C:
			case <-c.quit:
				c.wait.Stop()
			}
			batch = c.take(batch)
		}
		c.commit(batch)
		clear(batch) // the requests go back to reqPool
		c.mu.Lock()
		c.hot = len(batch) > 1 || len(c.queue) > 0
		if len(c.queue) == 0 {
			c.handOn()
			c.mu.Unlock()
			return batch
		}
		c.mu.Unlock()
	}
}

// take moves queued submissions into the batch, up to maxBatch.
func (c *Committer) take(batch []*commitReq) []*commitReq {
	c.mu.Lock()
	n := min(len(c.queue), c.maxBatch-len(batch))
	batch = append(batch, c.queue[:n]...)
	rest := copy(c.queue, c.queue[n:])
	clear(c.queue[rest:])
	c.queue = c.queue[:rest]
	c.mu.Unlock()
	return batch
}

// drain runs at Close (closed is set: nobody new becomes the writer or
// queues). It waits for an inline commit still running, commits what is
// queued, and truncates the WAL after a release.
func (c *Committer) drain(batch []*commitReq) {
	for {
		select {
		case <-c.kick:
			batch = c.writeQueue(batch)
			continue
		default:
		}
		c.mu.Lock()
		if !c.writing { // no kick can be pending: whoever sends one sets writing
			c.writing = true // for good
			c.mu.Unlock()
			break
		}
		c.mu.Unlock()
		select { // an inline commit is running: it kicks, or clears writing
		case <-c.kick:
			batch = c.writeQueue(batch)
		case <-time.After(time.Millisecond):
		}
	}
	if c.released {
		c.truncate()
	}
}

// quietTick runs when the quiet timer fires: it truncates the WAL once
// the writer has been idle for quietAfter since a release, else re-arms
// the timer for the rest of that time.
func (c *Committer) quietTick() {
	c.mu.Lock()
	if c.writing { // a batch, which may wait out another writer for long
		c.mu.Unlock()
		c.quiet.Reset(quietAfter)
		return
	}
	if idle := time.Since(c.lastDone); idle < quietAfter {
		c.mu.Unlock()
		c.quiet.Reset(quietAfter - idle)
		return
	}
	c.writing = true
	c.armed = false
	c.mu.Unlock()
	if c.released {
		c.truncate()
	}
	c.mu.Lock()
	c.handOn()
	c.mu.Unlock()
}

// quietAfter is how long the writer must have nothing to do before it
// truncates the WAL after a release: under steady load the queue is empty
// for an instant after every batch, which is no quiet moment.
const quietAfter = 20 * time.Millisecond
