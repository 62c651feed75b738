-- Schema version 3: the web UI's admin account, and devices the admin deleted from the list.
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.
-- migrate() wraps this file in one transaction with PRAGMA user_version = 3.

-- One admin per router: the CHECK makes a second row impossible, so first-run setup cannot run
-- twice even when two requests race (the second INSERT fails inside its transaction).
CREATE TABLE admin_account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    password_hash TEXT NOT NULL,  -- Argon2id in Botan's "$argon2id$v=19$m=...$salt$hash" form
    created_at INTEGER NOT NULL,  -- milliseconds since the Unix epoch
    updated_at INTEGER NOT NULL
);

-- A deleted device leaves the device list and the zone but keeps its row: its certificates and
-- their revocations stay in the CRL, and its name stays taken, so that a revoked certificate for
-- that name can never come to vouch for a different device.
ALTER TABLE devices ADD COLUMN deleted_at INTEGER;
