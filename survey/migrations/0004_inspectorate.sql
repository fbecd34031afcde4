-- The inspectorate's cycle, version 4: sampling, mail deliveries, result
-- packets with expiring download links, and the units' action plans.
-- Nothing here refers to a response: a delivery knows an invitation (used or
-- not) and an address, never an answer.

-- One seeded random draw from a unit's roster of one respondent type.
CREATE TABLE samples (
    id              INTEGER PRIMARY KEY,
    period_id       INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    respondent_type TEXT    NOT NULL CHECK (respondent_type IN ('internal', 'expert')),
    seed            INTEGER NOT NULL,
    margin          REAL    NOT NULL CHECK (margin > 0 AND margin <= 10),
    population      INTEGER NOT NULL CHECK (population >= 0),
    size            INTEGER NOT NULL CHECK (size >= 0 AND size <= population),
    drawn_at        TEXT    NOT NULL,
    drawn_by        TEXT    NOT NULL
);
CREATE INDEX samples_unit ON samples(period_id, unit_id, respondent_type);

CREATE TABLE sample_members (
    sample_id       INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    roster_id       INTEGER REFERENCES roster(id) ON DELETE SET NULL,
    position        INTEGER NOT NULL CHECK (position >= 0),
    invitation_id   INTEGER REFERENCES invitations(id) ON DELETE SET NULL,
    PRIMARY KEY (sample_id, position)
) WITHOUT ROWID;

-- A packet built for a unit: the ZIP itself, so a backup holds what was sent.
CREATE TABLE packet_builds (
    id          INTEGER PRIMARY KEY,
    period_id   INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    lang        TEXT    NOT NULL CHECK (lang IN ('id', 'en')),
    data        BLOB    NOT NULL,
    sha256      BLOB    NOT NULL CHECK (length(sha256) = 32),
    built_at    TEXT    NOT NULL,
    built_by    TEXT    NOT NULL
);
CREATE INDEX packet_builds_unit ON packet_builds(period_id, unit_id, lang, id);

-- Expiring download links to a packet; only the token's SHA-256 is kept.
CREATE TABLE packet_links (
    token_hash  BLOB    PRIMARY KEY CHECK (length(token_hash) = 32),
    build_id    INTEGER NOT NULL REFERENCES packet_builds(id) ON DELETE CASCADE,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
) WITHOUT ROWID;

-- Outgoing mail. The rendered message stays only until it is sent (an
-- invitation's body holds its personal link), then the body is blanked.
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    period_id       INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id         INTEGER REFERENCES units(id),
    kind            TEXT    NOT NULL CHECK (kind IN ('invitation', 'reminder', 'packet')),
    invitation_id   INTEGER REFERENCES invitations(id) ON DELETE SET NULL,
    build_id        INTEGER REFERENCES packet_builds(id) ON DELETE SET NULL,
    recipient       TEXT    NOT NULL CHECK (recipient LIKE '%_@_%'),
    subject         TEXT    NOT NULL DEFAULT '',
    body_text       TEXT    NOT NULL DEFAULT '',
    body_html       TEXT    NOT NULL DEFAULT '',
    attach          INTEGER NOT NULL DEFAULT 0 CHECK (attach IN (0, 1)),
    status          TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error      TEXT    NOT NULL DEFAULT '',
    next_attempt_at TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    sent_at         TEXT
);
CREATE INDEX deliveries_queue ON deliveries(status, next_attempt_at);
CREATE INDEX deliveries_period ON deliveries(period_id, kind, id);

-- A unit's action plan (rencana aksi) for one risk element of a period.
CREATE TABLE action_plans (
    id          INTEGER PRIMARY KEY,
    period_id   INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    element     TEXT    NOT NULL CHECK (length(element) BETWEEN 1 AND 64),
    action      TEXT    NOT NULL DEFAULT '' CHECK (length(action) <= 2000),
    owner       TEXT    NOT NULL DEFAULT '' CHECK (length(owner) <= 200),
    due_date    TEXT    CHECK (due_date IS NULL OR date(due_date) = due_date),
    status      TEXT    NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'not_done')),
    evidence    TEXT    NOT NULL DEFAULT '' CHECK (length(evidence) <= 2000),
    updated_by  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (period_id, unit_id, element)
);
