package survey

import "context"

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

// HoldWriterConn checks the writer's connection out, as a long write
// would, until release.
func HoldWriterConn(ctx context.Context, s *Store) (release func() error, err error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return conn.Close, nil
}

// LookedUpOnWriter reports whether f's lookup of token ran on the
// writer's connection (rather than the lookup pool).
func LookedUpOnWriter(ctx context.Context, f *InvitationFinder, token string) bool {
	hash, _ := TokenHash(token)
	var id, period, unit, used int64
	var code, name, typ string
	var box []byte
	ok, _ := f.onWriter(ctx, hash, f.st.draftID(hash), []any{&id, &period, &unit, &code, &name, &typ, &used, &box})
	return ok
}
