-- 006_dat.sql — the *.DAT exchange with the decision systems (proto/dat.h,
-- man/hromada-dat.5).
--
-- Every exchange file is kept whole, both directions, so an export can be
-- downloaded again and an answer shown as it came.  A file's number is per
-- (back office, system, direction): an export takes max + 1 in the
-- transaction that writes it (rows are never deleted, so a number is never
-- reused); an answer carries the decision system's own number, and the
-- UNIQUE key is what refuses an answer already imported (openIMIS: "number
-- every exchange file and refuse one already seen").

CREATE TABLE dat_files (
	id           INTEGER PRIMARY KEY,
	direction    TEXT NOT NULL CHECK (direction IN ('export', 'answer')),
	system       TEXT NOT NULL,                 -- asopd, edarp, subsidy
	number       INTEGER NOT NULL CHECK (number BETWEEN 1 AND 999999),
	spszn_id     INTEGER NOT NULL REFERENCES territories(id),
	name         TEXT NOT NULL,                 -- file name as given / made
	created_at   INTEGER NOT NULL,              -- the header's time
	stored_at    INTEGER NOT NULL,              -- exported or imported at
	user_id      INTEGER NOT NULL REFERENCES users(id),
	crc32        TEXT NOT NULL,                 -- the END line's, 8 hex digits
	record_count INTEGER NOT NULL CHECK (record_count >= 0),
	data         BLOB NOT NULL,
	UNIQUE (spszn_id, system, direction, number)
);

-- The decision imported for an application (one: answered is final).
-- Money is integer kopecks; periods ISO 'YYYY-MM-DD' text.
CREATE TABLE decisions (
	application_id INTEGER PRIMARY KEY REFERENCES applications(id),
	decision       TEXT NOT NULL CHECK (decision IN ('assigned', 'refused',
	                   'registered', 'registration_refused')),
	amount         INTEGER CHECK (amount IS NULL OR amount >= 0),
	period_from    TEXT,
	period_to      TEXT,
	reason         TEXT,
	imported_at    INTEGER NOT NULL,
	file_id        INTEGER NOT NULL REFERENCES dat_files(id)
);
CREATE INDEX decisions_file ON decisions(file_id);
