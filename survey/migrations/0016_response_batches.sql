-- Issue 16: results that keep up with a national period. Each batch of
-- responses stored together (a release from the sealed pool, or one
-- import) records the id ranges it stored under a batch number, so the
-- results cache reads only the batches it has not seen instead of the
-- whole period. The number orders batches, never the responses inside
-- one: a batch is released (or imported) together, its rows shuffled and
-- their ids consecutive from a random place, so a range says no more than
-- the ids already do. No foreign key to responses: nothing but a
-- response's texts refers to it. Responses stored before this migration
-- belong to no range (batch 0).
CREATE TABLE response_batches (
    period_id INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
    batch     INTEGER NOT NULL,
    lo        INTEGER NOT NULL,
    hi        INTEGER NOT NULL CHECK (hi >= lo)
);
CREATE INDEX response_batches_period ON response_batches(period_id, batch);
