-- HQ schema version 2 on PostgreSQL: the ACME account every instance must share. An order at the
-- CA belongs to the account that made it (RFC 8555 §7.1.3) and any instance may take its next
-- step, so an instance whose account key differs would fail every order it touches with 403.
-- Only the key's RFC 7638 thumbprint is kept; the key itself stays in each data folder.

CREATE TABLE acme_account (
    one        BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),  -- at most one row
    thumbprint TEXT NOT NULL
);
