-- Paper integrity (issue 19): KPK's MCP scores per year and area, for the
-- whole government (unit_code '') or a responsible unit, and PMPRB
-- self-assessment scores per unit and year. Neither refers to a response.
CREATE TABLE mcp_scores (
    year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    area        TEXT    NOT NULL CHECK (length(area) BETWEEN 1 AND 64),
    unit_code   TEXT    NOT NULL DEFAULT '' CHECK (length(unit_code) <= 32),
    score       REAL    NOT NULL CHECK (score >= 0 AND score <= 100),
    imported_at TEXT    NOT NULL,
    PRIMARY KEY (year, area, unit_code)
) WITHOUT ROWID;

CREATE TABLE pmprb_scores (
    year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    unit_code   TEXT    NOT NULL CHECK (length(unit_code) BETWEEN 1 AND 32),
    score       REAL    NOT NULL CHECK (score >= 0 AND score <= 100),
    imported_at TEXT    NOT NULL,
    PRIMARY KEY (year, unit_code)
) WITHOUT ROWID;
