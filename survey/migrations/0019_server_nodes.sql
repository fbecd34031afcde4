-- Issue 18: several servers on one database. Each running server writes
-- its runner name (a random name drawn at each start) and when it was
-- last seen, so that every server knows how many share the database: the
-- limits a server keeps in memory (request rates, answers per address,
-- login back-off) give each its share. On SQLite, which one server owns,
-- nothing is written here.
CREATE TABLE server_nodes (
    runner  TEXT PRIMARY KEY,
    seen_at TEXT NOT NULL
) WITHOUT ROWID;
