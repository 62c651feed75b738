-- HQ schema version 3 on PostgreSQL: the same as the SQLite store's 002_revocation.sql. A home may
-- withdraw a name: its record goes and its certificates are revoked at the public CA (RFC 8555
-- §7.6) as a step of the order that issued each one ('revoking', then 'revoked').
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.

ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('pending', 'issued', 'failed', 'revoking', 'revoked'));

-- The RFC 5280 CRLReason code the home gave when it withdrew the order's name; NULL while the name
-- stands. Set only by the withdrawal, never by the worker's saves.
ALTER TABLE orders ADD COLUMN revoke_reason INTEGER;

-- A withdrawal finds a home's orders for one name.
CREATE INDEX orders_home_name ON orders (home, name);
