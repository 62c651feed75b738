-- Schema version 1: devices, their certificates, enrolment requests and revocations.
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.
-- migrate() wraps this file in one transaction with PRAGMA user_version = 1, so it must not
-- contain BEGIN or COMMIT itself.

CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    -- DNS labels compare case-insensitively (RFC 4343), so "Printer" and "printer" would be the
    -- same host in the home zone; NOCASE folds exactly ASCII, which is all an LDH label holds.
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    ipv4 TEXT,
    key_type TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('native', 'router')),
    created_at INTEGER NOT NULL,  -- milliseconds since the Unix epoch, like every time here
    revoked_at INTEGER
);

CREATE TABLE certificates (
    serial TEXT PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    der BLOB NOT NULL,
    not_before INTEGER NOT NULL,
    not_after INTEGER NOT NULL,
    issued_at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('enrolment', 'renewal', 'router'))
);
CREATE INDEX certificates_by_device ON certificates (device_id);

CREATE TABLE enrolment_requests (
    id TEXT PRIMARY KEY,
    token_hash BLOB NOT NULL,  -- SHA-256 of the poll token; the token itself is never stored
    csr_der BLOB NOT NULL,
    key_id TEXT NOT NULL,
    key_type TEXT NOT NULL,
    name_hint TEXT NOT NULL DEFAULT '',
    ipv4 TEXT,
    status TEXT NOT NULL
        CHECK (status IN ('pending', 'issued', 'denied', 'overlap', 'expired')),
    received_at INTEGER NOT NULL,
    decided_at INTEGER,
    device_id INTEGER REFERENCES devices (id) ON DELETE SET NULL,
    cert_serial TEXT REFERENCES certificates (serial) ON DELETE SET NULL
);
-- The pairing window lists pending requests on every poll.
CREATE INDEX enrolment_requests_by_status ON enrolment_requests (status);

CREATE TABLE revocations (
    serial TEXT PRIMARY KEY REFERENCES certificates (serial) ON DELETE CASCADE,
    revoked_at INTEGER NOT NULL
);
