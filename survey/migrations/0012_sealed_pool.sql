-- Anonymity against whoever holds the database file, its WAL and its
-- backups (issue 11). Everything that could join a person to an answer is
-- sealed with keys derived from the key file kept outside the database.

-- Submissions wait here, sealed, until a shuffled batch of at least k of
-- one period, unit and type is released into responses (survey/pool.go).
-- The row's id is random; the payload (answers, texts, channel, hour,
-- duration, language, device) is padded to a fixed size and sealed.
CREATE TABLE response_pool (
    id              INTEGER PRIMARY KEY,
    period_id       INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    respondent_type TEXT    NOT NULL CHECK (respondent_type IN ('internal', 'external', 'expert')),
    sealed          BLOB    NOT NULL
);
CREATE INDEX response_pool_group ON response_pool(period_id, unit_id, respondent_type);

-- The hour a response was submitted, sealed; submitted_hour now keeps the
-- day in the clear ('YYYY-MM-DDT00', shared by the whole released batch).
ALTER TABLE responses ADD COLUMN hour_sealed BLOB;
-- Rows stored before this migration are sealed at the next start (keyfile.go),
-- closed periods' rows included: the freeze allows that one change only.
CREATE INDEX responses_clear_hour ON responses(id) WHERE hour_sealed IS NULL;
DROP TRIGGER responses_frozen_update;
CREATE TRIGGER responses_frozen_update BEFORE UPDATE ON responses
WHEN (SELECT status FROM periods WHERE id = OLD.period_id) = 'closed'
    AND NOT (OLD.hour_sealed IS NULL AND NEW.hour_sealed IS NOT NULL
        AND NEW.id = OLD.id AND NEW.period_id = OLD.period_id AND NEW.unit_id = OLD.unit_id
        AND NEW.respondent_type = OLD.respondent_type AND NEW.channel = OLD.channel
        AND substr(NEW.submitted_hour, 1, 10) = substr(OLD.submitted_hour, 1, 10)
        AND NEW.duration_seconds IS OLD.duration_seconds AND NEW.lang = OLD.lang
        AND NEW.device_hash IS OLD.device_hash AND NEW.stratum = OLD.stratum AND NEW.answers = OLD.answers)
BEGIN SELECT RAISE(ABORT, 'period is closed: answers are frozen'); END;

-- Drafts readable only with the respondent's link: the row is named by a
-- keyed hash of the token's hash and sealed with a key derived from the raw
-- token, which is never stored. The old plain drafts (answers beside the
-- invitation id) are dropped; secure_delete overwrites them.
DROP TABLE drafts;
CREATE TABLE sealed_drafts (
    id          BLOB    PRIMARY KEY CHECK (length(id) = 32),
    period_id   INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    sealed      BLOB    NOT NULL
) WITHOUT ROWID;
CREATE INDEX sealed_drafts_period ON sealed_drafts(period_id);

-- Reminders, once sent (or failed for good), are kept only as counts per
-- unit, type and day: who was reminded is who had not answered yet.
CREATE TABLE reminder_counts (
    period_id       INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    respondent_type TEXT    NOT NULL,
    day             TEXT    NOT NULL CHECK (date(day) = day),
    sent            INTEGER NOT NULL DEFAULT 0,
    failed          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (period_id, unit_id, respondent_type, day)
) WITHOUT ROWID;

-- Invitation messages are now queued without their link (it is minted at
-- hand-over to SMTP). Messages queued by an older version hold live links:
-- they are failed and blanked, to be sent again from the inspectorate page.
UPDATE deliveries SET status = 'failed', body_text = '', body_html = '',
    last_error = 'queued before links were minted at sending; send again'
    WHERE status = 'queued' AND kind IN ('invitation', 'reminder');

-- A keyed tag of the key file, so that a database opened with the wrong
-- key file (or after a restore without it) is refused instead of silently
-- sealing with a new key.
CREATE TABLE key_check (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    tag BLOB    NOT NULL CHECK (length(tag) = 32)
);
