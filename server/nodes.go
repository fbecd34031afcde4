package server

import (
	"context"
	"sync/atomic"
	"time"

	"integritas/survey"
)

// nodeShare is how many servers share the database (1 on SQLite). The
// limits a server keeps in memory — open-link request rates, answers per
// address, the login back-off — count only what reaches this server;
// behind a balancer that spreads requests (round robin), a client's
// requests reach each of n servers about equally, so each server treats
// its own count as 1/n of the client's whole: it divides rates by n and
// multiplies counts by n. Client addresses thus never leave memory, and
// the limits hold across servers within rounding.
type nodeShare struct {
	n    atomic.Int64
	stop chan struct{}
	done chan struct{}
}

// get is the number of servers, at least 1.
func (c *nodeShare) get() int {
	if c == nil {
		return 1
	}
	return int(max(c.n.Load(), 1))
}

// startNodeShare counts the servers sharing the store's database now and
// every survey.NodeBeat after, until stopNodeShare; on SQLite it stays 1.
func (s *Server) startNodeShare() {
	s.nodes = &nodeShare{stop: make(chan struct{}), done: make(chan struct{})}
	s.nodes.n.Store(1)
	if !s.store.Shared() {
		close(s.nodes.done)
		return
	}
	beat := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		n, err := s.store.NodeHeartbeat(ctx)
		if err != nil {
			s.log.Warn("node heartbeat failed; limits keep the last count of servers", "err", err)
			return
		}
		if old := s.nodes.n.Swap(int64(n)); old != int64(n) {
			s.log.Info("servers sharing the database", "servers", n)
		}
	}
	beat()
	go func() {
		defer close(s.nodes.done)
		t := time.NewTicker(survey.NodeBeat)
		defer t.Stop()
		for {
			select {
			case <-s.nodes.stop:
				return
			case <-t.C:
				beat()
			}
		}
	}()
}

// stopNodeShare ends the heartbeat and forgets this server in the
// database, so the others count one fewer at once.
func (s *Server) stopNodeShare() error {
	if s.nodes == nil {
		return nil
	}
	select {
	case <-s.nodes.stop:
		return nil // stopped already
	default:
	}
	close(s.nodes.stop)
	<-s.nodes.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.store.NodeGone(ctx)
}
