-- HQ schema version 4 on PostgreSQL: the same as the SQLite store's 003_router_credentials.sql.
-- Only a genuine router registers a home: HQ keeps SHA-256 of each router's factory secret; a
-- router holds at most one home, whose orders are refused while no unrevoked router holds it.
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.

CREATE TABLE routers (
    id          TEXT PRIMARY KEY,            -- the factory's router id (serial number)
    secret_hash BYTEA NOT NULL,              -- SHA-256 of the factory secret; never the secret
    imported_at BIGINT NOT NULL,             -- ms since the Unix epoch
    revoked_at  BIGINT,                      -- set by `hq routers revoke`, never cleared
    last_new_home_at BIGINT,                 -- when it last made a new home: one per 24 h
    home        TEXT UNIQUE REFERENCES homes(name) ON DELETE SET NULL
);
