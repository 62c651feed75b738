-- Schema version 7: which revoked devices' public names the router has withdrawn at the vendor's
-- HQ (issue 15: revoking a device also revokes its public certificate and removes its public
-- name, docs/hq.md "Router side"). The HQ link withdraws every revoked device whose mark differs
-- from its revoked_at, so a withdrawal that HQ's downtime delayed is made once HQ answers, and
-- one a restart interrupted is made after it.
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.
-- migrate() wraps this file in one transaction with PRAGMA user_version = 7.

-- The revoked_at (milliseconds) of the revocation whose name HQ withdrew; NULL when none was. An
-- ACME device taken over after a release is revoked anew at another time, and so is due again.
-- Devices revoked before this version are due: HQ kept their records (it had no withdrawal then).
ALTER TABLE devices ADD COLUMN hq_withdrawn_for INTEGER;

-- The link asks for the due withdrawals after every device change: it reads revoked devices only.
CREATE INDEX devices_revoked ON devices (revoked_at) WHERE revoked_at IS NOT NULL;
