-- HQ schema version 2: a home may withdraw a name (docs/hq.md, "Withdrawing a name"): its record
-- goes and its certificates are revoked at the public CA (RFC 8555 §7.6), as a step of the order
-- that issued each one, so that a revocation survives restarts and waits out an unreachable CA
-- like any other step.
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.

-- orders.status gains 'revoking' and 'revoked'. SQLite cannot ALTER a CHECK constraint; as
-- router-ca's 004_acme.sql explains, its rebuild-the-table way would cascade-delete the orders'
-- challenges (foreign keys are ON inside the migration's transaction), while widening a CHECK
-- changes nothing stored (every row passes the wider one), which the SQLite documentation allows
-- by editing the table's SQL in sqlite_master inside the transaction. The CREATE INDEX after it
-- changes the schema cookie, so other open connections parse the wider CHECK too.
--
-- Guard first: if the orders table does not hold 001's CHECK text exactly, replace() below would
-- silently do nothing; fail instead.
CREATE TEMP TABLE migration_002_guard (
    found INTEGER CONSTRAINT orders_status_check_is_the_one_from_001 CHECK (found = 1)
);
INSERT INTO temp.migration_002_guard
    SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'orders'
        AND instr(sql, 'CHECK (status IN (''pending'', ''issued'', ''failed''))') > 0;
DROP TABLE temp.migration_002_guard;

PRAGMA writable_schema = ON;
UPDATE sqlite_master
    SET sql = replace(sql, 'CHECK (status IN (''pending'', ''issued'', ''failed''))',
                      'CHECK (status IN (''pending'', ''issued'', ''failed'', ''revoking'', ''revoked''))')
    WHERE type = 'table' AND name = 'orders';
PRAGMA writable_schema = RESET;

-- The RFC 5280 CRLReason code the home gave when it withdrew the order's name; NULL while the name
-- stands. Set only by the withdrawal, never by the worker's saves.
ALTER TABLE orders ADD COLUMN revoke_reason INTEGER;

-- A withdrawal finds a home's orders for one name.
CREATE INDEX orders_home_name ON orders (home, name);
