-- 0019_server_nodes.sql for PostgreSQL (the SQLite twin explains it).
CREATE TABLE server_nodes (
    runner  text PRIMARY KEY,
    seen_at text NOT NULL
);
