-- Integritas schema, version 1.
-- Anonymity (spi-method.md §8) is a property of this schema: no table links a
-- response to an invitation, a roster row, an IP address or an exact time.

CREATE TABLE instruments (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
    version     INTEGER NOT NULL CHECK (version >= 1),
    definition  TEXT    NOT NULL CHECK (json_valid(definition)),
    created_at  TEXT    NOT NULL,
    UNIQUE (code, version)
);

CREATE TABLE periods (
    id              INTEGER PRIMARY KEY,
    code            TEXT    NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64 AND code NOT GLOB '*[^A-Za-z0-9_.-]*'),
    name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    instrument_id   INTEGER NOT NULL REFERENCES instruments(id),
    settings        TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
    opens_on        TEXT    CHECK (opens_on IS NULL OR date(opens_on) = opens_on),
    closes_on       TEXT    CHECK (closes_on IS NULL OR date(closes_on) = closes_on),
    status          TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    -- Salt for open-link device fingerprints; fingerprints are never stored raw.
    device_salt     BLOB    NOT NULL CHECK (length(device_salt) = 32),
    created_at      TEXT    NOT NULL,
    CHECK (opens_on IS NULL OR closes_on IS NULL OR opens_on <= closes_on)
);

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32 AND code NOT GLOB '*[^A-Za-z0-9_.-]*'),
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    parent_id   INTEGER REFERENCES units(id) CHECK (parent_id IS NULL OR parent_id <> id),
    head_name   TEXT    NOT NULL DEFAULT '',
    head_email  TEXT    NOT NULL DEFAULT ''
);

-- A unit takes part in a period when it has a row here; the population frames
-- (N per respondent type) belong to the period.
CREATE TABLE period_units (
    period_id           INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id             INTEGER NOT NULL REFERENCES units(id),
    internal_population INTEGER CHECK (internal_population IS NULL OR internal_population >= 0),
    external_population INTEGER CHECK (external_population IS NULL OR external_population >= 0),
    expert_population   INTEGER CHECK (expert_population IS NULL OR expert_population >= 0),
    PRIMARY KEY (period_id, unit_id)
) WITHOUT ROWID;

CREATE TABLE roster (
    id                  INTEGER PRIMARY KEY,
    period_id           INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id             INTEGER NOT NULL REFERENCES units(id),
    respondent_type     TEXT    NOT NULL CHECK (respondent_type IN ('internal', 'expert')),
    name                TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email               TEXT    NOT NULL DEFAULT '',
    phone               TEXT    NOT NULL DEFAULT '',
    grade               TEXT    NOT NULL DEFAULT '',
    years_institution   REAL    CHECK (years_institution IS NULL OR years_institution >= 0),
    years_unit          REAL    CHECK (years_unit IS NULL OR years_unit >= 0),
    role                TEXT    NOT NULL DEFAULT '',
    -- Why the roster import thinks this person is outside the frame (§1), or ''.
    warning             TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX roster_unit ON roster(period_id, unit_id, respondent_type);

-- Invitations prove a right to answer once. Only the token's SHA-256 is kept.
-- There is deliberately no time of use: with the response's submitted hour it
-- would join an answer to a person.
CREATE TABLE invitations (
    id              INTEGER PRIMARY KEY,
    period_id       INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    respondent_type TEXT    NOT NULL CHECK (respondent_type IN ('internal', 'external', 'expert')),
    token_hash      BLOB    NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    roster_id       INTEGER REFERENCES roster(id) ON DELETE SET NULL,
    contact         TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    used            INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
);
CREATE INDEX invitations_unit ON invitations(period_id, unit_id, respondent_type, used);

-- Answers saved so far by an invitation respondent; deleted when submitted.
CREATE TABLE drafts (
    invitation_id   INTEGER PRIMARY KEY REFERENCES invitations(id) ON DELETE CASCADE,
    answers         TEXT    NOT NULL CHECK (json_valid(answers)),
    lang            TEXT    NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
    updated_at      TEXT    NOT NULL
);

-- One row per response; the answers are one compact vector aligned with the
-- period's instrument items (one byte per item, see survey/answers.go), which
-- reads back an order of magnitude faster than a long (response, item) table.
CREATE TABLE responses (
    id                  INTEGER PRIMARY KEY,
    period_id           INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id             INTEGER NOT NULL REFERENCES units(id),
    respondent_type     TEXT    NOT NULL CHECK (respondent_type IN ('internal', 'external', 'expert')),
    channel             TEXT    NOT NULL CHECK (channel IN ('invitation', 'open', 'paper')),
    -- Kept to the hour only (§8).
    submitted_hour      TEXT    NOT NULL CHECK (submitted_hour GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]'),
    duration_seconds    INTEGER CHECK (duration_seconds IS NULL OR duration_seconds BETWEEN 0 AND 604800),
    lang                TEXT    NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
    device_hash         BLOB    CHECK (device_hash IS NULL OR length(device_hash) = 32),
    stratum             TEXT    NOT NULL DEFAULT '',
    answers             BLOB    NOT NULL CHECK (length(answers) BETWEEN 1 AND 1000)
);
-- (period_id) alone keeps a period's rows in id order for the analysis scan;
-- the wider index answers counts per unit and type without touching rows.
CREATE INDEX responses_period ON responses(period_id);
CREATE INDEX responses_unit ON responses(period_id, unit_id, respondent_type);

CREATE TABLE text_answers (
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    item_code   TEXT    NOT NULL,
    body        TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    PRIMARY KEY (response_id, item_code)
) WITHOUT ROWID;

-- An analyst's decision to include or exclude a flagged response.
CREATE TABLE flag_decisions (
    response_id INTEGER PRIMARY KEY REFERENCES responses(id) ON DELETE CASCADE,
    include     INTEGER NOT NULL CHECK (include IN (0, 1)),
    note        TEXT    NOT NULL DEFAULT '',
    decided_by  TEXT    NOT NULL,
    decided_at  TEXT    NOT NULL
);

-- Correction factor items (faktor koreksi), in index points, with evidence.
CREATE TABLE corrections (
    id          INTEGER PRIMARY KEY,
    period_id   INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    kind        TEXT    NOT NULL DEFAULT 'other' CHECK (kind IN ('complaints', 'law_enforcement', 'survey_integrity', 'follow_up', 'other')),
    points      REAL    NOT NULL CHECK (points >= 0 AND points <= 100),
    reason      TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    evidence    TEXT    NOT NULL DEFAULT '',
    set_by      TEXT    NOT NULL,
    set_at      TEXT    NOT NULL
);
CREATE INDEX corrections_unit ON corrections(period_id, unit_id);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (email LIKE '%_@_%'),
    name            TEXT    NOT NULL DEFAULT '',
    password_hash   TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('admin', 'inspector', 'analyst', 'viewer')),
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_logins   INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until    TEXT,
    created_at      TEXT    NOT NULL
);

CREATE TABLE user_units (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (user_id, unit_id)
) WITHOUT ROWID;

CREATE TABLE sessions (
    token_hash      BLOB    PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at      TEXT    NOT NULL,
    last_seen_at    TEXT    NOT NULL,
    expires_at      TEXT    NOT NULL
);

CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name            TEXT    NOT NULL DEFAULT '',
    token_hash      BLOB    NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at      TEXT    NOT NULL,
    last_used_at    TEXT,
    revoked_at      TEXT
);

-- Append-only: the triggers below refuse updates and deletes.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT    NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    target  TEXT    NOT NULL DEFAULT '',
    detail  TEXT    NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
