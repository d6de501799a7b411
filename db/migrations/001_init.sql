-- 001_init.sql — the first schema of the Hromada store.
--
-- Conventions: times are seconds since the epoch (INTEGER); dates of people
-- are ISO 'YYYY-MM-DD' text; enumerations (role, territory kind, status) are
-- stored by their wire names from proto/roles.c so the file reads by itself
-- with the sqlite3 shell; money will be integer kopecks.  Every foreign key
-- is declared (foreign_keys=ON at open).  db/embed-sql.sh embeds this file in
-- the binary and db_open applies it once, in its own transaction.
--
-- Repeats on purpose: application_persons (migration 014) copies the
-- persons table's columns, since an application keeps its own copy of
-- each person as it was saved.

CREATE TABLE territories (
	id        INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES territories(id),   -- NULL only for the root
	kind      TEXT NOT NULL CHECK (kind IN ('country', 'oblast', 'spszn',
	              'hromada', 'cnap', 'starosta', 'settlement')),
	name      TEXT NOT NULL,
	katottg   TEXT UNIQUE                          -- NULL where none exists
);
CREATE INDEX territories_parent ON territories(parent_id);
CREATE INDEX territories_name ON territories(name);

CREATE TABLE users (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	full_name    TEXT NOT NULL,
	role         TEXT NOT NULL,
	territory_id INTEGER NOT NULL REFERENCES territories(id),
	pwhash       TEXT NOT NULL,
	disabled     INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
CREATE INDEX users_territory ON users(territory_id);

-- Failed logins per key: 'u:NAME' or 'a:ADDRESS' (db/session.c).
CREATE TABLE login_throttle (
	key          TEXT PRIMARY KEY,
	failures     INTEGER NOT NULL,
	window_start INTEGER NOT NULL,
	locked_until INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Only the BLAKE2b hash of a ticket is kept: a stolen database file does not
-- let anyone resume someone else's session.
CREATE TABLE session_tickets (
	hash       BLOB PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX session_tickets_user ON session_tickets(user_id);
CREATE INDEX session_tickets_expiry ON session_tickets(expires_at);

-- The current key has retired_at NULL; a retired key still answers
-- handshakes until grace_until (db/keys.c).
CREATE TABLE server_keys (
	id          INTEGER PRIMARY KEY,
	public      BLOB NOT NULL,
	secret      BLOB NOT NULL,
	created_at  INTEGER NOT NULL,
	retired_at  INTEGER,
	grace_until INTEGER
);

-- Append-only and hash-chained (db/audit.c).  The triggers stop honest
-- mistakes; the chain catches the rest.
CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	user_id   INTEGER NOT NULL DEFAULT 0,
	actor     TEXT NOT NULL,
	address   TEXT,
	action    TEXT NOT NULL,
	object    TEXT,
	detail    TEXT,
	prev_hash BLOB NOT NULL,
	hash      BLOB NOT NULL
);
CREATE INDEX audit_log_object ON audit_log(object) WHERE object IS NOT NULL;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Reference data (db/reference/*.csv, hromadactl init/demo).
CREATE TABLE services (
	code   TEXT PRIMARY KEY,
	name   TEXT NOT NULL,
	system TEXT NOT NULL             -- decision system: asopd, subsidy, edarp
) WITHOUT ROWID;

CREATE TABLE document_types (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE service_documents (
	service_code TEXT NOT NULL REFERENCES services(code) ON DELETE CASCADE,
	doc_code     TEXT NOT NULL REFERENCES document_types(code),
	ordinal      INTEGER NOT NULL,
	PRIMARY KEY (service_code, doc_code)
) WITHOUT ROWID;

-- The central base of recipients.  search_name is hr_fold("surname name
-- patronymic") computed in C: SQLite's own case folding is ASCII only
-- (PITFALLS.md), and a prefix range on this index finds a surname among
-- millions without a scan.
CREATE TABLE persons (
	id             INTEGER PRIMARY KEY,
	rnokpp         TEXT UNIQUE,
	rnokpp_refused INTEGER NOT NULL DEFAULT 0,
	surname        TEXT NOT NULL,
	name           TEXT NOT NULL,
	patronymic     TEXT NOT NULL DEFAULT '',
	birth_date     TEXT NOT NULL,
	sex            TEXT NOT NULL CHECK (sex IN ('M', 'F')),
	unzr           TEXT UNIQUE,
	doc_type       TEXT,
	doc_number     TEXT,
	reg_address    TEXT,
	act_address    TEXT,
	phone          TEXT,
	search_name    TEXT NOT NULL,
	created_at     INTEGER NOT NULL,
	CHECK (rnokpp IS NULL OR rnokpp_refused = 0)
);
CREATE INDEX persons_search_name ON persons(search_name);
-- A person who refused the РНОКПП is found by the passport instead.
CREATE INDEX persons_doc ON persons(doc_number) WHERE doc_number IS NOT NULL;

CREATE TABLE family_members (
	person_id INTEGER NOT NULL REFERENCES persons(id),
	member_id INTEGER NOT NULL REFERENCES persons(id),
	relation  TEXT NOT NULL,         -- spouse, child, parent, other
	PRIMARY KEY (person_id, member_id)
) WITHOUT ROWID;
CREATE INDEX family_members_member ON family_members(member_id);

-- Territory ids are denormalised (front office, hromada, back office,
-- oblast) so that every journal is one index range: (scope column, id)
-- serves "newest first" and the cursor without a sort; the rowid is the
-- last column of every index, so (hromada_id, status) is also ordered by id.
CREATE TABLE applications (
	id              INTEGER PRIMARY KEY,
	reg_no          TEXT,            -- journal number, NULL while a draft
	reg_year        INTEGER,
	hromada_id      INTEGER NOT NULL REFERENCES territories(id),
	front_office_id INTEGER NOT NULL REFERENCES territories(id),
	spszn_id        INTEGER NOT NULL REFERENCES territories(id),
	oblast_id       INTEGER NOT NULL REFERENCES territories(id),
	service_code    TEXT NOT NULL REFERENCES services(code),
	applicant_id    INTEGER NOT NULL REFERENCES persons(id),
	status          TEXT NOT NULL CHECK (status IN ('draft', 'at_otg',
	                    'returned_front', 'at_spszn', 'returned_otg',
	                    'checked', 'exported', 'answered')),
	package_full    INTEGER NOT NULL DEFAULT 0,
	version         INTEGER NOT NULL DEFAULT 1,
	created_by      INTEGER NOT NULL REFERENCES users(id),
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
CREATE INDEX applications_front ON applications(front_office_id, id);
CREATE INDEX applications_hromada ON applications(hromada_id, id);
CREATE INDEX applications_spszn ON applications(spszn_id, id);
CREATE INDEX applications_oblast ON applications(oblast_id, id);
CREATE INDEX applications_hromada_status ON applications(hromada_id, status);
CREATE INDEX applications_spszn_status ON applications(spszn_id, status);
CREATE INDEX applications_applicant ON applications(applicant_id);
CREATE UNIQUE INDEX applications_reg_no ON applications(hromada_id, reg_year, reg_no)
	WHERE reg_no IS NOT NULL;

CREATE TABLE application_history (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications(id),
	at             INTEGER NOT NULL,
	user_id        INTEGER NOT NULL REFERENCES users(id),
	from_status    TEXT,             -- NULL for the creation
	to_status      TEXT NOT NULL,
	comment        TEXT
);
CREATE INDEX application_history_app ON application_history(application_id, id);
