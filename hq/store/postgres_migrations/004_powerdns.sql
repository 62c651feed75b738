-- HQ schema version 4 on PostgreSQL: the vendor zone in the tables PowerDNS Authoritative's
-- generic PostgreSQL backend reads (gpgsql; Debian's pdns-backend-pgsql 4.7), so that any number
-- of PowerDNS servers answer the zone from this database or its replicas, and no zone is ever
-- built (issue 17; hq/powerdns/README.md says how to run them).
-- A shipped migration is never edited; change the schema with a new, higher-numbered file.
--
-- PowerDNS's tables live in a schema of their own, `pdns`, because HQ already has a table called
-- records; PowerDNS finds them through its connection's search_path (hq/powerdns/pdns.conf,
-- gpgsql-extra-connection-parameters). They are PowerDNS 4.7's schema.pgsql.sql as Debian ships
-- it (/usr/share/pdns-backend-pgsql/schema/), unchanged but for the schema name.

CREATE SCHEMA pdns;

CREATE TABLE pdns.domains (
  id                    SERIAL PRIMARY KEY,
  name                  VARCHAR(255) NOT NULL,
  master                VARCHAR(128) DEFAULT NULL,
  last_check            INT DEFAULT NULL,
  type                  TEXT NOT NULL,
  notified_serial       BIGINT DEFAULT NULL,
  account               VARCHAR(40) DEFAULT NULL,
  options               TEXT DEFAULT NULL,
  catalog               TEXT DEFAULT NULL,
  CONSTRAINT c_lowercase_name CHECK (((name)::TEXT = LOWER((name)::TEXT)))
);
CREATE UNIQUE INDEX name_index ON pdns.domains(name);
CREATE INDEX catalog_idx ON pdns.domains(catalog);

CREATE TABLE pdns.records (
  id                    BIGSERIAL PRIMARY KEY,
  domain_id             INT DEFAULT NULL,
  name                  VARCHAR(255) DEFAULT NULL,
  type                  VARCHAR(10) DEFAULT NULL,
  content               VARCHAR(65535) DEFAULT NULL,
  ttl                   INT DEFAULT NULL,
  prio                  INT DEFAULT NULL,
  disabled              BOOL DEFAULT 'f',
  ordername             VARCHAR(255),
  auth                  BOOL DEFAULT 't',
  CONSTRAINT domain_exists
  FOREIGN KEY(domain_id) REFERENCES pdns.domains(id)
  ON DELETE CASCADE,
  CONSTRAINT c_lowercase_name CHECK (((name)::TEXT = LOWER((name)::TEXT)))
);
CREATE INDEX rec_name_index ON pdns.records(name);
CREATE INDEX nametype_index ON pdns.records(name,type);
CREATE INDEX domain_id ON pdns.records(domain_id);
CREATE INDEX recordorder ON pdns.records (domain_id, ordername text_pattern_ops);

CREATE TABLE pdns.supermasters (
  ip                    INET NOT NULL,
  nameserver            VARCHAR(255) NOT NULL,
  account               VARCHAR(40) NOT NULL,
  PRIMARY KEY(ip, nameserver)
);

CREATE TABLE pdns.comments (
  id                    SERIAL PRIMARY KEY,
  domain_id             INT NOT NULL,
  name                  VARCHAR(255) NOT NULL,
  type                  VARCHAR(10) NOT NULL,
  modified_at           INT NOT NULL,
  account               VARCHAR(40) DEFAULT NULL,
  comment               VARCHAR(65535) NOT NULL,
  CONSTRAINT domain_exists
  FOREIGN KEY(domain_id) REFERENCES pdns.domains(id)
  ON DELETE CASCADE,
  CONSTRAINT c_lowercase_name CHECK (((name)::TEXT = LOWER((name)::TEXT)))
);
CREATE INDEX comments_domain_id_idx ON pdns.comments (domain_id);
CREATE INDEX comments_name_type_idx ON pdns.comments (name, type);
CREATE INDEX comments_order_idx ON pdns.comments (domain_id, modified_at);

CREATE TABLE pdns.domainmetadata (
  id                    SERIAL PRIMARY KEY,
  domain_id             INT REFERENCES pdns.domains(id) ON DELETE CASCADE,
  kind                  VARCHAR(32),
  content               TEXT
);
CREATE INDEX domainidmetaindex ON pdns.domainmetadata(domain_id);

CREATE TABLE pdns.cryptokeys (
  id                    SERIAL PRIMARY KEY,
  domain_id             INT REFERENCES pdns.domains(id) ON DELETE CASCADE,
  flags                 INT NOT NULL,
  active                BOOL,
  published             BOOL DEFAULT TRUE,
  content               TEXT
);
CREATE INDEX domainidindex ON pdns.cryptokeys(domain_id);

CREATE TABLE pdns.tsigkeys (
  id                    SERIAL PRIMARY KEY,
  name                  VARCHAR(255),
  algorithm             VARCHAR(50),
  secret                VARCHAR(255),
  CONSTRAINT c_lowercase_name CHECK (((name)::TEXT = LOWER((name)::TEXT)))
);
CREATE UNIQUE INDEX namealgoindex ON pdns.tsigkeys(name, algorithm);

-- Which PowerDNS domain is the vendor zone, and the TTLs its records get. Written by hq serve at
-- start (PostgresHqStore::serve_powerdns_zone, from --zone and hq/core/vendor_zone.hpp's TTLs);
-- until then there is no zone to write into and the triggers below do nothing.
CREATE TABLE powerdns_zone (
    one           BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),  -- at most one row
    domain_id     INT NOT NULL REFERENCES pdns.domains(id) ON DELETE CASCADE,
    apex          TEXT NOT NULL,
    record_ttl    INT NOT NULL,
    challenge_ttl INT NOT NULL
);

-- Each write to HQ's records or challenges changes exactly its own PowerDNS rows, in the same
-- transaction: a write costs the same at a thousand homes as at ten million (issue 17).
-- Names are stored lowercase without the final dot, as PowerDNS expects (c_lowercase_name).
CREATE FUNCTION hq_record_to_pdns() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    z powerdns_zone%ROWTYPE;
BEGIN
    SELECT * INTO z FROM powerdns_zone;
    IF NOT FOUND THEN RETURN NULL; END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM pdns.records WHERE domain_id = z.domain_id AND type = 'A'
            AND name = lower(OLD.label || '.' || OLD.home || '.' || z.apex);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO pdns.records (domain_id, name, type, content, ttl, auth)
            VALUES (z.domain_id, lower(NEW.label || '.' || NEW.home || '.' || z.apex), 'A',
                    NEW.address, z.record_ttl, TRUE);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER records_to_pdns AFTER INSERT OR UPDATE OR DELETE ON records
    FOR EACH ROW EXECUTE FUNCTION hq_record_to_pdns();

-- A home's own name holds no records, only names below it: an empty non-terminal, which must
-- answer NODATA rather than NXDOMAIN (RFC 8020 §2). PowerDNS knows one by a row of type NULL.
CREATE FUNCTION hq_home_to_pdns() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    z powerdns_zone%ROWTYPE;
BEGIN
    SELECT * INTO z FROM powerdns_zone;
    IF NOT FOUND THEN RETURN NULL; END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM pdns.records WHERE domain_id = z.domain_id AND type IS NULL
            AND name = lower(OLD.name || '.' || z.apex);
    ELSE
        INSERT INTO pdns.records (domain_id, name, type, auth)
            VALUES (z.domain_id, lower(NEW.name || '.' || z.apex), NULL, TRUE);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER homes_to_pdns AFTER INSERT OR DELETE ON homes
    FOR EACH ROW EXECUTE FUNCTION hq_home_to_pdns();

-- A TXT record's content is its character-string in presentation format: quoted. Challenge
-- values are base64url, which needs no escaping inside the quotes.
CREATE FUNCTION hq_challenge_to_pdns() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    z powerdns_zone%ROWTYPE;
BEGIN
    SELECT * INTO z FROM powerdns_zone;
    IF NOT FOUND THEN RETURN NULL; END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- One row only: two orders may hold the same owner and value (each keeps its own).
        DELETE FROM pdns.records WHERE id = (
            SELECT id FROM pdns.records WHERE domain_id = z.domain_id AND type = 'TXT'
                AND name = lower(OLD.owner) AND content = '"' || OLD.value || '"' LIMIT 1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO pdns.records (domain_id, name, type, content, ttl, auth)
            VALUES (z.domain_id, lower(NEW.owner), 'TXT', '"' || NEW.value || '"',
                    z.challenge_ttl, TRUE);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER challenges_to_pdns AFTER INSERT OR UPDATE OR DELETE ON challenges
    FOR EACH ROW EXECUTE FUNCTION hq_challenge_to_pdns();
