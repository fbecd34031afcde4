package survey

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Packet job statuses. A job is complete only when done: a failed or
// interrupted job lacks some units' packets and is never sent in bulk.
const (
	JobRunning     = "running"
	JobDone        = "done"
	JobFailed      = "failed"
	JobInterrupted = "interrupted"
)

// ErrJobRunning means a packet build of the period is running already.
var ErrJobRunning = errors.New("survey: a packet build of this period is running")

// ErrJobLost refuses a packet for a build that is no longer this
// server's: interrupted for want of a heartbeat, and perhaps resumed by
// another server, which builds the rest.
var ErrJobLost = errors.New("survey: this packet build was interrupted or taken over by another server")

// PacketJob is one "build every packet" run, kept in the database so that
// a run cut short is seen as such after a restart.
type PacketJob struct {
	ID        int64
	PeriodID  int64
	Lang      string
	Status    string
	Error     string
	Expected  int // units the job is to build
	Built     int // of them, packets stored
	StartedAt time.Time
	StartedBy string
	ResumedAt time.Time // zero unless resumed
	Finished  time.Time // zero while running or when interrupted
}

// Complete reports whether every expected packet was built.
func (j PacketJob) Complete() bool { return j.Status == JobDone && j.Built == j.Expected }

// StartPacketJob records a new build of the units' packets, or answers
// ErrJobRunning while another build of the period runs: the check and the
// insert share one write transaction, so two clicks start one job.
func (s *Store) StartPacketJob(ctx context.Context, periodID int64, lang string, units []string, by string) (PacketJob, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := interruptStale(ctx, tx, s); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM packet_jobs WHERE period_id = ? AND status = 'running'`, periodID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrJobRunning
		}
		now := stamp(s.now())
		var err error
		id, err = insertID(ctx, tx, `INSERT INTO packet_jobs (period_id, lang, started_at, started_by, runner, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)`,
			periodID, lang, now, by, s.runner, now)
		if err != nil {
			return err
		}
		for _, code := range units {
			res, err := tx.ExecContext(ctx, `INSERT INTO packet_job_units (job_id, unit_id)
				SELECT ?, u.id FROM units u JOIN period_units pu ON pu.unit_id = u.id WHERE pu.period_id = ? AND u.code = ?`, id, periodID, code)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("unit %q: %w", code, ErrNotFound)
			}
		}
		return nil
	})
	if err != nil {
		return PacketJob{}, fmt.Errorf("survey: start packet build: %w", err)
	}
	return s.PacketJob(ctx, id)
}

// SaveJobPacket stores a unit's packet and marks it built in the job, in
// one transaction: after a crash the job's count is exactly what is stored.
func (s *Store) SaveJobPacket(ctx context.Context, jobID int64, unitCode string, data []byte, by string) (int64, error) {
	sum := sha256.Sum256(data)
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var periodID, unitID int64
		var lang string
		var status, runner string
		err := tx.QueryRowContext(ctx, `SELECT j.period_id, j.lang, ju.unit_id, j.status, j.runner FROM packet_jobs j
			JOIN packet_job_units ju ON ju.job_id = j.id JOIN units u ON u.id = ju.unit_id WHERE j.id = ? AND u.code = ?`,
			jobID, unitCode).Scan(&periodID, &lang, &unitID, &status, &runner)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("unit %q of job %d: %w", unitCode, jobID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if status != JobRunning || runner != s.runner {
			return fmt.Errorf("job %d: %w", jobID, ErrJobLost)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE packet_jobs SET heartbeat_at = ? WHERE id = ?`, stamp(s.now()), jobID); err != nil {
			return err
		}
		id, err = insertID(ctx, tx, `INSERT INTO packet_builds (period_id, unit_id, lang, data, sha256, built_at, built_by)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, periodID, unitID, lang, data, sum[:], stamp(s.now()), by)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE packet_job_units SET build_id = ? WHERE job_id = ? AND unit_id = ?`, id, jobID, unitID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("survey: save packet of %q: %w", unitCode, err)
	}
	return id, nil
}

// FinishPacketJob ends a running job: done when every unit's packet is
// stored, failed (with the reason) otherwise. A job no longer running (an
// earlier restart marked it interrupted) is left as it is.
func (s *Store) FinishPacketJob(ctx context.Context, jobID int64, reason string) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	_, err := s.w.ExecContext(ctx, `UPDATE packet_jobs SET finished_at = ?, error = ?,
		status = CASE WHEN ? = '' AND NOT EXISTS (SELECT 1 FROM packet_job_units WHERE job_id = packet_jobs.id AND build_id IS NULL)
			THEN 'done' ELSE 'failed' END
		WHERE id = ? AND status = 'running' AND runner = ?`, stamp(s.now()), reason, reason, jobID, s.runner)
	if err != nil {
		return fmt.Errorf("survey: finish packet build %d: %w", jobID, err)
	}
	return nil
}

// JobLease is how long a running build may go without storing a packet
// before another server on the same PostgreSQL database takes it for
// dead and marks it interrupted.
const JobLease = 2 * time.Minute

// leaseExpired is the heartbeat stamp before which another server's
// running build is taken for dead (JobLease ago).
func (s *Store) leaseExpired() string { return stamp(s.now().Add(-JobLease)) }

// InterruptPacketJobs marks interrupted the running jobs whose runner is
// gone, and returns how many. The server calls it at start. On SQLite,
// which one server owns, that is every job this process did not start; on
// PostgreSQL, where other servers may be building, only jobs without a
// heartbeat for JobLease.
func (s *Store) InterruptPacketJobs(ctx context.Context) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = interruptJobs(ctx, tx, s)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("survey: interrupt packet builds: %w", err)
	}
	return n, nil
}

// interruptStale is InterruptPacketJobs inside a transaction that is
// about to look for a running job, on PostgreSQL only: on SQLite a job
// of a dead server was interrupted at start.
func interruptStale(ctx context.Context, tx txQ, s *Store) error {
	if !s.pg {
		return nil
	}
	_, err := interruptJobs(ctx, tx, s)
	return err
}

func interruptJobs(ctx context.Context, tx txQ, s *Store) (int, error) {
	// On SQLite every other runner is dead: no heartbeat is recent enough.
	stale := "9999-12-31T23:59:59Z"
	if s.pg {
		stale = s.leaseExpired()
	}
	res, err := tx.ExecContext(ctx, `UPDATE packet_jobs SET status = 'interrupted'
		WHERE status = 'running' AND runner <> ? AND (heartbeat_at IS NULL OR heartbeat_at < ?)`, s.runner, stale)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ResumePacketJob sets an interrupted or failed job of the period running
// again and returns it with the codes of the units still to build.
func (s *Store) ResumePacketJob(ctx context.Context, periodID, jobID int64) (PacketJob, []string, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := interruptStale(ctx, tx, s); err != nil {
			return err
		}
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM packet_jobs WHERE id = ? AND period_id = ?`, jobID, periodID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var running int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM packet_jobs WHERE period_id = ? AND status = 'running'`, periodID).Scan(&running); err != nil {
			return err
		}
		if running > 0 {
			return ErrJobRunning
		}
		if status != JobInterrupted && status != JobFailed {
			return fmt.Errorf("job %d is %s: %w", jobID, status, ErrConflict)
		}
		now := stamp(s.now())
		_, err = tx.ExecContext(ctx, `UPDATE packet_jobs SET status = 'running', error = '', finished_at = NULL, resumed_at = ?,
			runner = ?, heartbeat_at = ? WHERE id = ?`, now, s.runner, now, jobID)
		return err
	})
	if err != nil {
		return PacketJob{}, nil, fmt.Errorf("survey: resume packet build %d: %w", jobID, err)
	}
	j, err := s.PacketJob(ctx, jobID)
	if err != nil {
		return j, nil, err
	}
	missing, err := s.PacketJobMissing(ctx, jobID)
	return j, missing, err
}

const jobColumns = `j.id, j.period_id, j.lang, j.status, j.error, j.started_at, j.started_by, coalesce(j.resumed_at, ''), coalesce(j.finished_at, ''),
	(SELECT count(*) FROM packet_job_units WHERE job_id = j.id), (SELECT count(build_id) FROM packet_job_units WHERE job_id = j.id),
	j.runner, coalesce(j.heartbeat_at, '')`

// scanJob reads a job row (jobColumns). On PostgreSQL a running job of
// another runner whose heartbeat is older than JobLease reads as
// interrupted, as interruptJobs would mark it, so that a reader that
// sweeps nothing (`packets status`) does not show a dead build as running.
func (s *Store) scanJob(row scanner) (PacketJob, error) {
	var j PacketJob
	var started, resumed, finished, runner, heartbeat string
	err := row.Scan(&j.ID, &j.PeriodID, &j.Lang, &j.Status, &j.Error, &started, &j.StartedBy, &resumed, &finished, &j.Expected, &j.Built,
		&runner, &heartbeat)
	if s.pg && j.Status == JobRunning && runner != s.runner && (heartbeat == "" || heartbeat < s.leaseExpired()) {
		j.Status = JobInterrupted
	}
	j.StartedAt, _ = time.Parse(time.RFC3339, started)
	if resumed != "" {
		j.ResumedAt, _ = time.Parse(time.RFC3339, resumed)
	}
	if finished != "" {
		j.Finished, _ = time.Parse(time.RFC3339, finished)
	}
	return j, err
}

// PacketJob returns one job with its counts.
func (s *Store) PacketJob(ctx context.Context, id int64) (PacketJob, error) {
	j, err := s.scanJob(s.r.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM packet_jobs j WHERE j.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return j, fmt.Errorf("survey: packet build %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return j, fmt.Errorf("survey: packet build %d: %w", id, err)
	}
	return j, nil
}

// LatestPacketJobs returns the newest job of each language of a period,
// Indonesian first.
func (s *Store) LatestPacketJobs(ctx context.Context, periodID int64) ([]PacketJob, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+jobColumns+` FROM packet_jobs j
		WHERE j.id IN (SELECT max(id) FROM packet_jobs WHERE period_id = ? GROUP BY lang) ORDER BY j.lang = 'en', j.id`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: packet builds: %w", err)
	}
	defer rows.Close()
	var out []PacketJob
	for rows.Next() {
		j, err := s.scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("survey: packet builds: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// LatestPacketJob returns the newest job of a period in one language, or
// ErrNotFound when packets in it were never built as a job.
func (s *Store) LatestPacketJob(ctx context.Context, periodID int64, lang string) (PacketJob, error) {
	j, err := s.scanJob(s.r.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM packet_jobs j WHERE j.period_id = ? AND j.lang = ?
		ORDER BY j.id DESC LIMIT 1`, periodID, lang))
	if errors.Is(err, sql.ErrNoRows) {
		return j, fmt.Errorf("survey: packet build (%s): %w", lang, ErrNotFound)
	}
	if err != nil {
		return j, fmt.Errorf("survey: packet build (%s): %w", lang, err)
	}
	return j, nil
}

// PacketJobMissing lists the codes of the units a job has not built yet.
func (s *Store) PacketJobMissing(ctx context.Context, jobID int64) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT u.code FROM packet_job_units ju JOIN units u ON u.id = ju.unit_id
		WHERE ju.job_id = ? AND ju.build_id IS NULL ORDER BY u.code`, jobID)
	if err != nil {
		return nil, fmt.Errorf("survey: packet build %d: %w", jobID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("survey: packet build %d: %w", jobID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PacketJobBuilds lists the packets a job built, without data, by unit code.
func (s *Store) PacketJobBuilds(ctx context.Context, jobID int64) ([]PacketBuild, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+buildColumns+` FROM packet_job_units ju JOIN packet_builds b ON b.id = ju.build_id
		JOIN units u ON u.id = b.unit_id WHERE ju.job_id = ? ORDER BY u.code`, jobID)
	if err != nil {
		return nil, fmt.Errorf("survey: packets of build %d: %w", jobID, err)
	}
	defer rows.Close()
	var out []PacketBuild
	for rows.Next() {
		b, err := scanBuild(rows, false)
		if err != nil {
			return nil, fmt.Errorf("survey: packets of build %d: %w", jobID, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
