-- Schema version 2: the audit log of security-relevant events (pairing, issuance, revocation).
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.
-- migrate() wraps this file in one transaction with PRAGMA user_version = 2.

CREATE TABLE audit_log (
    -- AUTOINCREMENT so that ids are never reused: "newest first" is "highest id first", even if
    -- old events are one day pruned.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,  -- milliseconds since the Unix epoch
    event TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);
