-- 014_application_persons.sql — an application keeps its own copy of its
-- applicant and family.
--
-- Until now an application pointed at persons of the central base of
-- recipients, so any later change of a person — another hromada's save,
-- say — rewrote every application naming them, also those the back office
-- had checked or exported (issue 10).  Now each application carries the
-- persons as they were when it was last saved in an editable status:
-- application.get, the *.DAT export and the journal read this copy; the
-- base is only where a form is pre-filled from, and where a clerk's
-- correction made through an editable application of their own is also
-- written (srvd/intake_persons.c).
--
-- application_persons replaces 003's application_members: ordinal 0 is the
-- applicant, k >= 1 family member k (the `member` of an income row).
-- base_version is persons.version when the copy was last saved: a base
-- that has moved on since is offered to whoever opens a draft or returned
-- application (application.get `base_changed`).
--
-- The triggers make every writer (server, hromadactl demo, benchmarks'
-- generators, tests) give a new application its applicant's copy, and a
-- changed applicant_id a fresh one; the server then writes the copy the
-- form carried.
--
-- application_changes holds what an edit changed (field, old -> new,
-- identifiers masked), under the edit's history row.
--
-- Repeats on purpose: SQLite triggers cannot call a shared routine, so
-- each trigger spells out the same copy of a person; the table repeats
-- the persons table's columns (migration 001) because it is their copy;
-- and a migration's statements never change once it has landed.

ALTER TABLE persons ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE application_persons (
	application_id INTEGER NOT NULL REFERENCES applications(id),
	ordinal        INTEGER NOT NULL CHECK (ordinal >= 0),
	person_id      INTEGER NOT NULL REFERENCES persons(id),
	relation       TEXT CHECK ((ordinal = 0) = (relation IS NULL) AND
	                   (relation IS NULL OR relation IN ('spouse', 'child',
	                   'parent', 'sibling', 'other'))),
	base_version   INTEGER NOT NULL,
	rnokpp         TEXT,
	rnokpp_refused INTEGER NOT NULL DEFAULT 0,
	surname        TEXT NOT NULL,
	name           TEXT NOT NULL,
	patronymic     TEXT NOT NULL DEFAULT '',
	birth_date     TEXT NOT NULL,
	sex            TEXT NOT NULL CHECK (sex IN ('M', 'F')),
	unzr           TEXT,
	doc_type       TEXT,
	doc_number     TEXT,
	reg_address    TEXT,
	act_address    TEXT,
	phone          TEXT,
	PRIMARY KEY (application_id, ordinal),
	CHECK (rnokpp IS NULL OR rnokpp_refused = 0)
);
CREATE INDEX application_persons_person ON application_persons(person_id);

INSERT INTO application_persons (application_id, ordinal, person_id,
    relation, base_version, rnokpp, rnokpp_refused, surname, name,
    patronymic, birth_date, sex, unzr, doc_type, doc_number, reg_address,
    act_address, phone)
SELECT a.id, 0, p.id, NULL, p.version, p.rnokpp, p.rnokpp_refused,
    p.surname, p.name, p.patronymic, p.birth_date, p.sex, p.unzr, p.doc_type,
    p.doc_number, p.reg_address, p.act_address, p.phone
FROM applications a JOIN persons p ON p.id = a.applicant_id;

INSERT INTO application_persons (application_id, ordinal, person_id,
    relation, base_version, rnokpp, rnokpp_refused, surname, name,
    patronymic, birth_date, sex, unzr, doc_type, doc_number, reg_address,
    act_address, phone)
SELECT m.application_id, m.ordinal, p.id, m.relation, p.version, p.rnokpp,
    p.rnokpp_refused, p.surname, p.name, p.patronymic, p.birth_date, p.sex,
    p.unzr, p.doc_type, p.doc_number, p.reg_address, p.act_address, p.phone
FROM application_members m JOIN persons p ON p.id = m.person_id;

DROP INDEX application_members_person;
DROP TABLE application_members;

CREATE TRIGGER application_persons_new AFTER INSERT ON applications
BEGIN
	INSERT OR REPLACE INTO application_persons (application_id, ordinal,
	    person_id, relation, base_version, rnokpp, rnokpp_refused, surname,
	    name, patronymic, birth_date, sex, unzr, doc_type, doc_number,
	    reg_address, act_address, phone)
	SELECT NEW.id, 0, p.id, NULL, p.version, p.rnokpp, p.rnokpp_refused,
	    p.surname, p.name, p.patronymic, p.birth_date, p.sex, p.unzr,
	    p.doc_type, p.doc_number, p.reg_address, p.act_address, p.phone
	FROM persons p WHERE p.id = NEW.applicant_id;
END;

CREATE TRIGGER application_persons_applicant
AFTER UPDATE OF applicant_id ON applications
WHEN OLD.applicant_id IS NOT NEW.applicant_id
BEGIN
	INSERT OR REPLACE INTO application_persons (application_id, ordinal,
	    person_id, relation, base_version, rnokpp, rnokpp_refused, surname,
	    name, patronymic, birth_date, sex, unzr, doc_type, doc_number,
	    reg_address, act_address, phone)
	SELECT NEW.id, 0, p.id, NULL, p.version, p.rnokpp, p.rnokpp_refused,
	    p.surname, p.name, p.patronymic, p.birth_date, p.sex, p.unzr,
	    p.doc_type, p.doc_number, p.reg_address, p.act_address, p.phone
	FROM persons p WHERE p.id = NEW.applicant_id;
END;

-- The journal's applicant name is the application's (005 kept it in step
-- with the base: a renamed person renamed every application of theirs).
-- db/application_persons.c sets applicant_search when it writes the applicant's
-- copy; 009's triggers still give a new or re-pointed application the
-- base's name first.
DROP TRIGGER persons_search_to_applications;

CREATE TABLE application_changes (
	history_id INTEGER NOT NULL REFERENCES application_history(id),
	ordinal    INTEGER NOT NULL,
	field      TEXT NOT NULL,     -- "applicant.reg_address", "payment.iban"
	old        TEXT,              -- NULL: there was none
	new        TEXT,              -- NULL: removed
	PRIMARY KEY (history_id, ordinal)
) WITHOUT ROWID;

-- The journal finds an application by its applicant's name as the
-- application carries it (db/journal.c): a name few applications in the
-- country bear starts from here, as it started from persons_search_name.
CREATE INDEX applications_search ON applications(applicant_search);
