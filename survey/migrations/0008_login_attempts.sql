-- Failed sign-ins per account and client address (issue 13). Counting them
-- per account let anyone lock any staff account from anywhere; per address,
-- an attacker's wrong passwords only slow the attacker's address down, and
-- an address the owner has signed in from before is never locked for long.
-- addr is a keyed MAC of the client address (the key file's "login-address"
-- subkey), not the address itself.
CREATE TABLE login_attempts (
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    addr         TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    signed_in    INTEGER NOT NULL DEFAULT 0 CHECK (signed_in IN (0, 1)),
    last_at      TEXT NOT NULL,
    PRIMARY KEY (user_id, addr)
) WITHOUT ROWID;
