-- Schema version 5: an enrolment request keeps what a decision needs and no more (issue 14: a
-- request keeping its whole CSR, up to 64 KiB, let anyone on the LAN fill the router's flash),
-- and requests and unapproved ACME accounts remember their source address, for the caps.
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.
-- migrate() wraps this file in one transaction with PRAGMA user_version = 5.

-- The device's public key (DER SubjectPublicKeyInfo) replaces the CSR: the certificate is built
-- from the key alone (the CA never copies anything else from a CSR), and the key is emptied once
-- the request is decided.
ALTER TABLE enrolment_requests ADD COLUMN public_key BLOB NOT NULL DEFAULT x'';
-- The connection's source address, as text: pending requests are capped per source.
ALTER TABLE enrolment_requests ADD COLUMN source TEXT NOT NULL DEFAULT '';

-- An undecided request from before the upgrade has no key any more to be signed with: it expires,
-- as it would have within ten minutes anyway, and its device asks again (device-enrol reads
-- 'expired' as "press the button and pair again"). The upgrade happens at a daemon restart, so at
-- most the requests of the last ten minutes are concerned.
UPDATE enrolment_requests SET status = 'expired', decided_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000
    WHERE status IN ('pending', 'overlap');
-- DROP COLUMN needs SQLite 3.35 or later (Debian 12 has 3.40.1).
ALTER TABLE enrolment_requests DROP COLUMN csr_der;

-- ACME accounts that are not yet approved are capped the same way (anyone may make one): the
-- address that made each one.
ALTER TABLE acme_accounts ADD COLUMN source TEXT NOT NULL DEFAULT '';

-- Addresses the admin blocked from asking to pair (a source that kept asking without being
-- approved): their requests and new ACME accounts are refused.
CREATE TABLE blocked_sources (
    source TEXT NOT NULL PRIMARY KEY,
    blocked_at INTEGER NOT NULL  -- milliseconds since the Unix epoch
);

-- Expiry and purging select undecided requests by age and decided ones by decision time.
CREATE INDEX enrolment_requests_by_age ON enrolment_requests (status, received_at);
CREATE INDEX enrolment_requests_by_decision ON enrolment_requests (decided_at);
