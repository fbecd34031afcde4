-- 0018_packet_job_runner.sql for PostgreSQL (the SQLite twin explains it).
ALTER TABLE packet_jobs ADD COLUMN runner text NOT NULL DEFAULT '';
ALTER TABLE packet_jobs ADD COLUMN heartbeat_at text;
