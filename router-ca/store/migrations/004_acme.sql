-- Schema version 4: the ACME server's accounts, External Account Binding keys, orders,
-- authorizations and name ownership (RFC 8555), and devices whose source is 'acme'.
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.
-- migrate() wraps this file in one transaction with PRAGMA user_version = 4.

-- devices.source gains 'acme'. SQLite cannot ALTER a CHECK constraint, and of its two documented
-- ways round that (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table
-- Schema Changes") only the writable_schema edit works here:
--   * The 12-step rebuild (new table, copy, DROP, rename) needs PRAGMA foreign_keys = OFF, which
--     is a no-op inside a transaction, and every connection turns it ON before migrating
--     (connection_settings.cpp). With it ON, DROP TABLE devices is an implicit DELETE that would
--     cascade to certificates (ON DELETE CASCADE) and revocations, and null out
--     enrolment_requests.device_id: the CRL would lose every serial.
--   * Widening a CHECK changes nothing stored on disk (every existing row passes the wider check),
--     which is exactly the case that page allows to be done by editing the table's SQL text in
--     sqlite_master. That edit is an ordinary page write inside migrate()'s transaction, so it
--     commits or rolls back together with the new tables and user_version: crash-safe.
-- The steps of that procedure, as they appear below: (1) the transaction is migrate()'s; (3, 7)
-- writable_schema on, then RESET, which also turns it off and makes this connection reparse the
-- schema so the wider CHECK applies to it at once; (4) the UPDATE; (6) the schema cookie must
-- change so that other open connections reparse too: the CREATE TABLE statements after it each
-- increment it (https://www.sqlite.org/pragma.html#pragma_schema_version), so no literal
-- PRAGMA schema_version = N is needed (a migration file cannot compute N). The migration tests
-- check (8), PRAGMA integrity_check, on databases upgraded from every older version.
--
-- Guard first, while writable_schema is still off: if devices' SQL does not hold 001's CHECK
-- text exactly (a hand-edited file), replace() below would silently do nothing; fail instead.
CREATE TEMP TABLE migration_004_guard (
    found INTEGER CONSTRAINT devices_source_check_is_the_one_from_001 CHECK (found = 1)
);
INSERT INTO temp.migration_004_guard
    SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'devices'
        AND instr(sql, 'CHECK (source IN (''native'', ''router''))') > 0;
DROP TABLE temp.migration_004_guard;

PRAGMA writable_schema = ON;
UPDATE sqlite_master
    SET sql = replace(sql, 'CHECK (source IN (''native'', ''router''))',
                      'CHECK (source IN (''native'', ''router'', ''acme''))')
    WHERE type = 'table' AND name = 'devices';
PRAGMA writable_schema = RESET;

-- An ACME account (RFC 8555 section 7.1.2), and whether the pairing gate let it order.
CREATE TABLE acme_accounts (
    id TEXT NOT NULL PRIMARY KEY,
    jwk_json TEXT NOT NULL,
    -- RFC 7638 thumbprints are base64url, which is case-sensitive: BINARY collation, not NOCASE.
    thumbprint TEXT NOT NULL UNIQUE,
    contact TEXT NOT NULL DEFAULT '[]',  -- JSON array of the "mailto:" URLs as given
    status TEXT NOT NULL CHECK (status IN ('valid', 'deactivated', 'revoked')),
    approval TEXT NOT NULL CHECK (approval IN ('waiting', 'overlap', 'pairing', 'admin', 'eab')),
    -- NULL when the account was made without External Account Binding; a key binds once.
    eab_kid TEXT UNIQUE REFERENCES acme_eab_keys (kid),
    created_at INTEGER NOT NULL,  -- milliseconds since the Unix epoch, like every time here
    approved_at INTEGER
);

-- External Account Binding keys (RFC 8555 section 7.3.4) the admin hands out.
CREATE TABLE acme_eab_keys (
    kid TEXT NOT NULL PRIMARY KEY,
    mac_key BLOB NOT NULL,  -- HMAC-SHA256 key
    created_at INTEGER NOT NULL,
    bound_account TEXT UNIQUE REFERENCES acme_accounts (id)  -- NULL while unused
);

CREATE TABLE acme_orders (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES acme_accounts (id),
    status TEXT NOT NULL
        CHECK (status IN ('pending', 'ready', 'processing', 'valid', 'invalid')),
    created_at INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    identifiers TEXT NOT NULL,  -- JSON array of the dns identifiers, in request order
    label TEXT NOT NULL,        -- the one device name every identifier stands for
    error_type TEXT NOT NULL DEFAULT '',  -- '' when none
    error_detail TEXT NOT NULL DEFAULT '',
    -- Set once valid. It is how a certificate is traced back to its account (revocation by the
    -- account, RFC 8555 section 7.6), so valid orders are never purged; one order, one certificate.
    cert_serial TEXT UNIQUE REFERENCES certificates (serial)
);
-- orders_of lists an account's orders newest first.
CREATE INDEX acme_orders_by_account ON acme_orders (account_id, created_at);

-- The authorization ids of an order are its rows here ordered by position (the identifiers'
-- order), rather than a second copy in acme_orders that could disagree.
CREATE TABLE acme_authorizations (
    id TEXT NOT NULL PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES acme_orders (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES acme_accounts (id),
    position INTEGER NOT NULL,
    identifier TEXT NOT NULL,
    label TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('pending', 'valid', 'invalid', 'deactivated', 'expired', 'revoked')),
    expires INTEGER NOT NULL,
    token TEXT NOT NULL,
    attempted TEXT NOT NULL DEFAULT '',  -- the challenge type posted; '' before
    validated_at INTEGER,
    validated_ipv4 TEXT,
    error_type TEXT NOT NULL DEFAULT '',
    error_detail TEXT NOT NULL DEFAULT '',
    UNIQUE (order_id, position)  -- also the index find_order reads the ids through
);

-- Which account owns which device name: the first account to validate a name owns it. The same
-- namespace as devices.name, so NOCASE for the same reason (RFC 4343).
CREATE TABLE acme_names (
    label TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    account_id TEXT NOT NULL REFERENCES acme_accounts (id),
    claimed_at INTEGER NOT NULL
);
