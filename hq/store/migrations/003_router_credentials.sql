-- HQ schema version 3: router credentials (docs/hq.md, "Router credentials"). Only a genuine
-- router registers a home: each router has a factory secret, of which HQ keeps SHA-256 only,
-- imported from the factory's list (`hq routers import`). A router holds at most one home (the
-- one it registered last); the home's orders are refused while no unrevoked router holds it.
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.

CREATE TABLE routers (
    id          TEXT PRIMARY KEY,            -- the factory's router id (serial number)
    secret_hash BLOB NOT NULL,               -- SHA-256 of the factory secret; never the secret
    imported_at INTEGER NOT NULL,            -- ms since the Unix epoch
    revoked_at  INTEGER,                     -- set by `hq routers revoke`, never cleared
    -- When this router last made a new home (ms): at most one per 24 h (docs/hq.md, "One new
    -- home a day"), so a stolen secret cannot mint homes, and their order limits, by the thousand.
    last_new_home_at INTEGER,
    -- The one home this router holds; a home is held by one router at most. Homes registered
    -- before this migration have none until their router registers again with its credential.
    home        TEXT UNIQUE REFERENCES homes(name) ON DELETE SET NULL
);
