-- Schema version 6: a revocation keeps its reason, and the CRL number survives restarts
-- (issue 15, "Revocation that tells the truth").
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.
-- migrate() wraps this file in one transaction with PRAGMA user_version = 6.

-- The CRLReason code of RFC 5280 section 5.3.1 that the CRL entry carries (core/revocation_reason:
-- 0 unspecified, 1 keyCompromise, 3 affiliationChanged, 4 superseded, 5 cessationOfOperation,
-- 9 privilegeWithdrawn). Revocations from before were made without a reason: unspecified.
ALTER TABLE revocations ADD COLUMN reason INTEGER NOT NULL DEFAULT 0
    CHECK (reason IN (0, 1, 3, 4, 5, 9));

-- The last CRL number handed out (RFC 5280 section 5.2.3: it grows with every CRL the issuer
-- makes, across restarts too). One row, made here. Before this version the router numbered every
-- CRL 1 (none revoked) or 2 (Botan's update_crl of an empty CRL), so counting on from 2 keeps
-- every new number above every old one.
CREATE TABLE crl_number (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_issued INTEGER NOT NULL
);
INSERT INTO crl_number (id, last_issued) VALUES (1, 2);
