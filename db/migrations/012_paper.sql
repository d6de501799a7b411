-- 012_paper.sql — what printing and telling the applicant need (issue 13):
-- the offices' contacts printed on receipts and notices, the record that
-- the applicant was told of the decision, the transfer registers that go
-- with the paper files, and the automatic notices of hromadad.conf's
-- notify_command.

-- How to reach an office (a front office on the receipt, a back office on
-- the notice); hromadactl territory contacts sets them.  NULL: not known.
ALTER TABLE territories ADD COLUMN address TEXT;
ALTER TABLE territories ADD COLUMN phone TEXT;
ALTER TABLE territories ADD COLUMN email TEXT;
ALTER TABLE territories ADD COLUMN hours TEXT;

-- The latest time the applicant was told of the decision and how
-- (application.notify, or an automatic notice that went out); every such
-- record is also a history row.  NULL: not told yet.
ALTER TABLE applications ADD COLUMN notified_at INTEGER;
ALTER TABLE applications ADD COLUMN notified_how TEXT
	CHECK (notified_how IS NULL OR notified_how IN ('in_person', 'phone',
	    'sms', 'letter'));

-- «Рішення є, заявника не повідомлено»: the front office's and the
-- hromada's journal filter and the cabinet's count walk these (few rows:
-- the decisions waiting to be told).
CREATE INDEX applications_front_unnotified ON applications(front_office_id, id)
	WHERE status = 'answered' AND notified_at IS NULL;
CREATE INDEX applications_hromada_unnotified ON applications(hromada_id, id)
	WHERE status = 'answered' AND notified_at IS NULL;

-- Transfer registers (реєстри передавання документів).  Numbered per
-- office (the maker's territory) and year: max + 1 in the transaction
-- that makes it, rows are never deleted.  Everything printed is stored as
-- it was when the register was made, so a reprint is the same document
-- whatever changed since.  `stage` is where the paper goes: 'otg' from a
-- front office to the hromada's social unit, 'spszn' on to the back office.
CREATE TABLE transfer_registers (
	id             INTEGER PRIMARY KEY,
	office_id      INTEGER NOT NULL REFERENCES territories(id),
	hromada_id     INTEGER NOT NULL REFERENCES territories(id),
	spszn_id       INTEGER NOT NULL REFERENCES territories(id),
	stage          TEXT NOT NULL CHECK (stage IN ('otg', 'spszn')),
	year           INTEGER NOT NULL,
	number         INTEGER NOT NULL CHECK (number >= 1),
	made_at        INTEGER NOT NULL,
	made_on        TEXT NOT NULL,            -- 'YYYY-MM-DD', server's day
	made_by        INTEGER NOT NULL REFERENCES users(id),
	made_by_name   TEXT NOT NULL,
	from_name      TEXT NOT NULL,
	to_name        TEXT NOT NULL,
	period_from    TEXT,
	period_to      TEXT,
	row_count      INTEGER NOT NULL,
	document_count INTEGER NOT NULL,
	UNIQUE (office_id, year, number)
);
CREATE INDEX transfer_registers_hromada ON transfer_registers(hromada_id, id);
CREATE INDEX transfer_registers_spszn ON transfer_registers(spszn_id, id);
CREATE INDEX transfer_registers_day ON transfer_registers(made_on);

-- What a register lists: the applications sent up (their history's moves
-- to at_otg or at_spszn) in a period — a range of this index.
CREATE INDEX application_history_sent ON application_history(to_status, at)
	WHERE to_status IN ('at_otg', 'at_spszn');

-- One row per application; an application is on at most one register per
-- stage (the UNIQUE key refuses a second).
CREATE TABLE transfer_register_rows (
	register_id    INTEGER NOT NULL REFERENCES transfer_registers(id),
	ord            INTEGER NOT NULL CHECK (ord >= 1),
	application_id INTEGER NOT NULL REFERENCES applications(id),
	stage          TEXT NOT NULL,
	reg_no         TEXT NOT NULL,
	reg_date       TEXT NOT NULL,            -- 'YYYY-MM-DD'
	applicant      TEXT NOT NULL,
	ident          TEXT NOT NULL,            -- РНОКПП or document number
	service_name   TEXT NOT NULL,
	documents      INTEGER NOT NULL,
	missing        INTEGER NOT NULL,
	PRIMARY KEY (register_id, ord),
	UNIQUE (application_id, stage)
) WITHOUT ROWID;

-- Automatic notices (hromadad.conf notify_command): queued with the
-- decision's import, in the same transaction; 'sending' is written before
-- the command runs, so a server that stops meanwhile never sends twice
-- (it records the outcome as unknown instead).
CREATE TABLE notices (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications(id),
	user_id        INTEGER NOT NULL REFERENCES users(id),  -- who imported
	phone          TEXT NOT NULL,
	message        TEXT NOT NULL,
	state          TEXT NOT NULL CHECK (state IN ('pending', 'sending',
	                   'sent', 'failed')),
	created_at     INTEGER NOT NULL,
	finished_at    INTEGER,
	outcome        TEXT
);
CREATE INDEX notices_open ON notices(id) WHERE state IN ('pending', 'sending');
CREATE INDEX notices_app ON notices(application_id);
