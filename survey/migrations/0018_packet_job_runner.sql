-- Issue 18: several servers on one database. A packet build belongs to
-- the server process that started (or resumed) it, named by a random
-- runner id drawn at each start, and shows it is alive by a heartbeat
-- written with each packet it stores. Another server marks the build
-- interrupted only once the heartbeat is stale (on SQLite, where one
-- server owns the file, at once at start, as before), and the old runner
-- can store nothing more for it: a build is never run by two servers.
ALTER TABLE packet_jobs ADD COLUMN runner TEXT NOT NULL DEFAULT '';
ALTER TABLE packet_jobs ADD COLUMN heartbeat_at TEXT;
