-- A "build every packet" run is kept, not held in memory: a build cut short
-- (SIGKILL, a restart) shows as interrupted, can be resumed, and is never
-- sent half (issue 13).
CREATE TABLE packet_jobs (
    id          INTEGER PRIMARY KEY,
    period_id   INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    lang        TEXT    NOT NULL CHECK (lang IN ('id', 'en')),
    status      TEXT    NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
    error       TEXT    NOT NULL DEFAULT '' CHECK (length(error) <= 500),
    started_at  TEXT    NOT NULL,
    started_by  TEXT    NOT NULL,
    resumed_at  TEXT,
    finished_at TEXT
);
CREATE INDEX packet_jobs_period ON packet_jobs(period_id, lang, id);

-- The units a job is to build (its expected count); build_id is set in the
-- transaction that stores the unit's packet (its built count).
CREATE TABLE packet_job_units (
    job_id   INTEGER NOT NULL REFERENCES packet_jobs(id) ON DELETE CASCADE,
    unit_id  INTEGER NOT NULL REFERENCES units(id),
    build_id INTEGER REFERENCES packet_builds(id) ON DELETE SET NULL,
    PRIMARY KEY (job_id, unit_id)
) WITHOUT ROWID;

-- A send to every unit head skips a build already queued or sent to the
-- same recipient: this index makes that look-up cheap.
CREATE INDEX deliveries_build ON deliveries(build_id, recipient) WHERE build_id IS NOT NULL;

-- API tokens expire. Tokens made before this migration get a year from
-- their creation, and at least 30 days from now, so a scraper is not cut
-- off without notice.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
UPDATE api_tokens SET expires_at = max(strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+365 days'),
                                       strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+30 days'));
