package survey

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// NodeBeat is how often a server sharing a PostgreSQL database says it is
// alive (NodeHeartbeat); one silent for three beats is no longer counted.
const NodeBeat = 20 * time.Second

// Shared reports whether other servers may share this store's database
// (PostgreSQL); a SQLite file has one server.
func (s *Store) Shared() bool { return s.pg }

// NodeHeartbeat records that this server is alive and returns how many
// servers share the database, itself included; servers silent for three
// beats are forgotten. On SQLite it writes nothing and answers 1.
func (s *Store) NodeHeartbeat(ctx context.Context) (int, error) {
	if !s.pg {
		return 1, nil
	}
	now := s.now()
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO server_nodes (runner, seen_at) VALUES (?, ?)
			ON CONFLICT (runner) DO UPDATE SET seen_at = excluded.seen_at`, s.runner, stamp(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM server_nodes WHERE seen_at < ?`, stamp(now.Add(-3*NodeBeat))); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM server_nodes`).Scan(&n)
	})
	if err != nil {
		return 1, fmt.Errorf("survey: node heartbeat: %w", err)
	}
	return max(n, 1), nil
}

// NodeGone forgets this server at a clean stop, so that the others count
// one fewer at once rather than after three beats.
func (s *Store) NodeGone(ctx context.Context) error {
	if !s.pg {
		return nil
	}
	_, err := s.w.ExecContext(ctx, `DELETE FROM server_nodes WHERE runner = ?`, s.runner)
	return err
}
