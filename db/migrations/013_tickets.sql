-- 013_tickets.sql — tickets bound to the handshake, with tombstones.
--
-- A ticket is now an Ed25519 seed the client keeps; a resume sends the
-- ticket's id (its public key) and a binder, a signature over the
-- connection's handshake hash (proto/ticket.h).  The table keeps the id,
-- the terminal the session proved (it was hashed into the key before),
-- and when the ticket was spent: a spent row stays until it would have
-- expired, so that a ticket presented twice is noticed (db/tickets.h).
-- Tickets of the old kind cannot make a binder: they are dropped, and
-- their clients log in with the password once.
DROP TABLE session_tickets;
CREATE TABLE session_tickets (
	id         BLOB PRIMARY KEY,       -- the ticket's Ed25519 public key
	user_id    INTEGER NOT NULL REFERENCES users(id),
	terminal   TEXT,                   -- proved by the session; NULL none
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	login_at   INTEGER NOT NULL,       -- the session's password login
	spent_at   INTEGER                 -- NULL: usable; else a tombstone
) WITHOUT ROWID;
CREATE INDEX session_tickets_user ON session_tickets(user_id);
CREATE INDEX session_tickets_expiry ON session_tickets(expires_at);
