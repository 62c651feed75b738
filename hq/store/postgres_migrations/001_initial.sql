-- HQ schema version 1 on PostgreSQL: the same tables as the SQLite store's 001_initial.sql, in
-- PostgreSQL's types, plus the order claims that let several hq instances share the database.
-- Times are BIGINT milliseconds since the Unix epoch, as in every SQLite database of the repo.
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.

CREATE TABLE homes (
    name            TEXT PRIMARY KEY,
    token_hash      BYTEA NOT NULL UNIQUE,  -- SHA-256 of the router's token; never the token
    credential_hash BYTEA NOT NULL,         -- SHA-256 of the credential; never the credential
    created_at      BIGINT NOT NULL
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
    csr_der         BYTEA NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'issued', 'failed')),
    step            TEXT NOT NULL,
    order_url       TEXT NOT NULL DEFAULT '',
    finalize_url    TEXT NOT NULL DEFAULT '',
    authz_url       TEXT NOT NULL DEFAULT '',
    challenge_url   TEXT NOT NULL DEFAULT '',
    certificate_url TEXT NOT NULL DEFAULT '',
    chain_pem       TEXT NOT NULL DEFAULT '',
    problem_json    TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- The claim (docs/hq.md): the instance working the order's current step, until lease_until.
    -- update_order clears lease_until; an instance that dies leaves it to expire, and the order
    -- is then claimable again. claimed_by stays as the record of who worked the last step.
    claimed_by      TEXT,
    lease_until     BIGINT
);
-- The claim's query: pending orders by due time; and the per-home limit counts.
CREATE INDEX orders_due ON orders (status, next_attempt_at);
CREATE INDEX orders_home ON orders (home, created_at);

CREATE TABLE challenges (
    order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    owner    TEXT NOT NULL,                 -- _acme-challenge.<name>
    value    TEXT NOT NULL,                 -- base64url(SHA-256(key authorization))
    PRIMARY KEY (order_id, owner, value)
);
