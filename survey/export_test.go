package survey

// Hooks for the external tests (package survey_test).

// HoldWriter makes c act as if a batch were being committed, with at most
// queue submissions allowed to wait, until the returned func hands the
// queue to the writer goroutine: what a long commit under load looks like,
// without the timing.
func HoldWriter(c *Committer, queue int) (release func()) {
	c.mu.Lock()
	c.writing, c.maxQueue = true, queue
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		c.handOn()
		c.mu.Unlock()
	}
}
