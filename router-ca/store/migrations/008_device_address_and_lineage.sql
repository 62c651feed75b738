-- Schema version 6 (issue 15, parts 2 and 5): a device's certificate never names another
-- device's current address, so the router looks devices up by address; and a device whose
-- replaced certificate asked for anything but the retry of its lost renewal is flagged as
-- possibly cloned.
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.
-- migrate() wraps this file in one transaction with PRAGMA user_version = 6.

-- When a replaced certificate of this device last asked for something other than the answer it
-- lost (a renewal with another key, an address update, a public certificate): a copy of an old
-- key and certificate is in use beside the device. NULL: never.
ALTER TABLE devices ADD COLUMN possibly_cloned_at INTEGER;

-- Every enrolment, renewal and address update looks up the devices at the connection's address.
CREATE INDEX devices_by_ipv4 ON devices (ipv4);
