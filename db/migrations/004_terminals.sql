-- 004_terminals.sql — registered terminals, the second login factor.
--
-- A terminal is one clerk's PC with an X25519 key pair made by
-- `hromadactl terminal add`; only the public half is kept here.  A revoked
-- terminal stays (revoked_at set) so the audit log's names keep their
-- meaning and a name is never reused for another key.
-- territories.require_terminal marks a subtree (usually a back office)
-- whose users may log in only with a terminal proof (srvd/method_login.c).
CREATE TABLE terminals (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	territory_id INTEGER NOT NULL REFERENCES territories(id),
	public       BLOB NOT NULL CHECK (length(public) = 32),
	created_at   INTEGER NOT NULL,
	revoked_at   INTEGER
);
CREATE INDEX terminals_territory ON terminals(territory_id);

ALTER TABLE territories ADD COLUMN require_terminal INTEGER NOT NULL DEFAULT 0;
