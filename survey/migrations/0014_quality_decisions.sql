-- Method v2 (spi-method.md §6): flags are evidence, never an automatic
-- deduction. A response is left out only by a recorded decision of the
-- Inspectorate about a unit (and optionally one respondent type): exclude one
-- flag type, exclude one coached cluster, keep a cluster's answers, enter a
-- survey-integrity correction, or withhold the unit's index. Decisions are
-- never deleted: a revoked one keeps who revoked it, when and why, so every
-- earlier view of the figures can be recomputed (views must not be
-- differenced, issue 11) and audited.
CREATE TABLE quality_decisions (
    id              INTEGER PRIMARY KEY,
    period_id       INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    respondent_type TEXT    NOT NULL DEFAULT '' CHECK (respondent_type IN ('', 'internal', 'external', 'expert')),
    action          TEXT    NOT NULL CHECK (action IN ('exclude_flag', 'exclude_cluster', 'keep', 'correction', 'withhold')),
    flag            TEXT    NOT NULL DEFAULT '' CHECK (flag IN ('', 'speeder', 'straight_line', 'coached', 'duplicate')),
    cluster         TEXT    NOT NULL DEFAULT '' CHECK (length(cluster) <= 64),
    correction_id   INTEGER REFERENCES corrections(id) ON DELETE SET NULL,
    reason          TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    decided_by      TEXT    NOT NULL,
    decided_at      TEXT    NOT NULL,
    revoked_by      TEXT,
    revoked_at      TEXT,
    revoke_reason   TEXT,
    CHECK ((action = 'exclude_flag') = (flag != '')),
    CHECK (action NOT IN ('exclude_cluster', 'keep') OR cluster != ''),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX quality_decisions_period ON quality_decisions(period_id, unit_id);

-- The v1 per-response include/exclude choices are retired: choosing response
-- by response let two views differ by one person. Each one is kept, word for
-- word, in the append-only audit log before its table goes (the table was
-- the only one besides text_answers that named a response).
INSERT INTO audit_log (at, actor, action, target, detail)
SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'system', 'quality.decision.retired',
       'period:' || p.code || '/response:' || d.response_id,
       CASE d.include WHEN 1 THEN 'include' ELSE 'exclude' END || ' by ' || d.decided_by || ' at ' || d.decided_at ||
       CASE WHEN d.note != '' THEN ': ' || d.note ELSE '' END
FROM flag_decisions d JOIN responses r ON r.id = d.response_id JOIN periods p ON p.id = r.period_id
ORDER BY d.response_id;
DROP TABLE flag_decisions;
