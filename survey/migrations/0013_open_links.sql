-- Open links that cannot be stuffed (issue 11).

-- Each signed open-link form carries a random nonce; a nonce is accepted
-- once, in the transaction that stores its answers, and forgotten when the
-- form expires. Nothing here names a respondent: the nonce was random and
-- the server logged nothing else of the form.
CREATE TABLE open_nonces (
    nonce      BLOB    PRIMARY KEY CHECK (length(nonce) = 16),
    expires_at INTEGER NOT NULL -- unix seconds
) WITHOUT ROWID;
CREATE INDEX open_nonces_expiry ON open_nonces(expires_at);

-- Open-link answers per device, unit and day, for the per-device cap. The
-- device hash is the same keyed tag the response carries; the rows go when
-- the period closes (dropped with the responses' device hashes).
CREATE TABLE open_device_days (
    period_id   INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    day         TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    device_hash BLOB    NOT NULL CHECK (length(device_hash) = 32),
    n           INTEGER NOT NULL CHECK (n > 0),
    PRIMARY KEY (period_id, unit_id, day, device_hash)
) WITHOUT ROWID;

-- What became of open-link submissions, per unit and day: stored, or
-- refused and why. Counts only, for the data-quality page, the API and the
-- inspectorate's spike alert.
CREATE TABLE open_link_counts (
    period_id INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id   INTEGER NOT NULL REFERENCES units(id),
    day       TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    outcome   TEXT    NOT NULL CHECK (outcome IN ('stored', 'capped_device', 'capped_address', 'no_cookie', 'bad_form', 'expired', 'replayed')),
    n         INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (period_id, unit_id, day, outcome)
) WITHOUT ROWID;
