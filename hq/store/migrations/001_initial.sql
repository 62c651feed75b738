-- HQ schema version 1: homes, their A records, the DNS-01 challenge records being answered, and
-- certificate orders with their progress at the public CA (resumed after a restart).
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.

CREATE TABLE homes (
    name            TEXT PRIMARY KEY,
    token_hash      BLOB NOT NULL UNIQUE,   -- SHA-256 of the router's token; never the token
    credential_hash BLOB NOT NULL,          -- SHA-256 of the credential; never the credential
    created_at      INTEGER NOT NULL        -- ms since the Unix epoch
);

CREATE TABLE records (
    home    TEXT NOT NULL REFERENCES homes(name) ON DELETE CASCADE,
    label   TEXT NOT NULL,
    address TEXT NOT NULL,                  -- dotted quad, RFC 1918
    PRIMARY KEY (home, label)
);

CREATE TABLE orders (
    id              TEXT PRIMARY KEY,
    home            TEXT NOT NULL REFERENCES homes(name) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    csr_der         BLOB NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'issued', 'failed')),
    step            TEXT NOT NULL,
    order_url       TEXT NOT NULL DEFAULT '',
    finalize_url    TEXT NOT NULL DEFAULT '',
    authz_url       TEXT NOT NULL DEFAULT '',
    challenge_url   TEXT NOT NULL DEFAULT '',
    certificate_url TEXT NOT NULL DEFAULT '',
    chain_pem       TEXT NOT NULL DEFAULT '',
    problem_json    TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0
);
-- The worker's query: pending orders by due time; and the per-home limit counts.
CREATE INDEX orders_due ON orders (status, next_attempt_at);
CREATE INDEX orders_home ON orders (home, created_at);

CREATE TABLE challenges (
    order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    owner    TEXT NOT NULL,                 -- _acme-challenge.<name>
    value    TEXT NOT NULL,                 -- base64url(SHA-256(key authorization))
    PRIMARY KEY (order_id, owner, value)
);
