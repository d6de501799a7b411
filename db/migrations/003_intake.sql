-- 003_intake.sql — what the intake form holds beyond 001's skeleton.
--
-- An application now carries its family (as declared on this application,
-- which may differ from the central base's links), the income declaration,
-- the documents attached or presented, payment details, a contact phone,
-- notes and the reason of the latest return.  Registration numbers
-- "NNNNN/YYYY" come from one counter row per (hromada, year), incremented
-- in the transaction that creates the application (db/regno.c).
--
-- Money is integer kopecks; dates of periods are ISO 'YYYY-MM-DD' text so
-- that comparing strings compares days.

ALTER TABLE applications ADD COLUMN pay_method TEXT
	CHECK (pay_method IS NULL OR pay_method IN ('bank', 'post'));
ALTER TABLE applications ADD COLUMN iban TEXT;          -- canonical, 29 chars
ALTER TABLE applications ADD COLUMN post_office TEXT;
ALTER TABLE applications ADD COLUMN phone TEXT;         -- "+380XXXXXXXXX"
ALTER TABLE applications ADD COLUMN notes TEXT;
ALTER TABLE applications ADD COLUMN last_reason TEXT;   -- comment of the latest return

ALTER TABLE persons ADD COLUMN updated_at INTEGER;

-- The family as declared on one application; `ordinal` (1-based) is what
-- an income row's `member` refers to (0 = the applicant).
CREATE TABLE application_members (
	application_id INTEGER NOT NULL REFERENCES applications(id),
	ordinal        INTEGER NOT NULL CHECK (ordinal >= 1),
	person_id      INTEGER NOT NULL REFERENCES persons(id),
	relation       TEXT NOT NULL CHECK (relation IN ('spouse', 'child',
	                   'parent', 'sibling', 'other')),
	PRIMARY KEY (application_id, ordinal)
) WITHOUT ROWID;
CREATE INDEX application_members_person ON application_members(person_id);

-- The income declaration (декларація про доходи).
CREATE TABLE application_income (
	application_id INTEGER NOT NULL REFERENCES applications(id),
	ordinal        INTEGER NOT NULL,
	member         INTEGER NOT NULL CHECK (member >= 0),
	type           TEXT NOT NULL CHECK (type IN ('salary', 'pension',
	                   'benefit', 'alimony', 'business', 'other')),
	period_from    TEXT NOT NULL,
	period_to      TEXT NOT NULL,
	amount         INTEGER NOT NULL CHECK (amount >= 0),
	CHECK (period_from <= period_to),
	PRIMARY KEY (application_id, ordinal)
) WITHOUT ROWID;

-- Documents attached (scans) or presented, by document type.
CREATE TABLE application_documents (
	application_id INTEGER NOT NULL REFERENCES applications(id),
	doc_code       TEXT NOT NULL REFERENCES document_types(code),
	PRIMARY KEY (application_id, doc_code)
) WITHOUT ROWID;

-- The hromada's journal counter: the last number given in a year.
CREATE TABLE journal_counters (
	hromada_id INTEGER NOT NULL REFERENCES territories(id),
	year       INTEGER NOT NULL,
	last       INTEGER NOT NULL,
	PRIMARY KEY (hromada_id, year)
) WITHOUT ROWID;

-- Continue after the numbers already given (demo data, older drafts).
INSERT INTO journal_counters (hromada_id, year, last)
SELECT hromada_id, reg_year,
       max(CAST(substr(reg_no, 1, instr(reg_no, '/') - 1) AS INTEGER))
FROM applications
WHERE reg_no IS NOT NULL AND reg_year IS NOT NULL AND instr(reg_no, '/') > 1
GROUP BY hromada_id, reg_year;

-- Document-number lookup (person.search, the duplicate check) uses 001's
-- persons_doc: `doc_number = ?` implies the index's NOT NULL condition.
-- The second-open-application check uses 001's applications_applicant: a
-- person has a handful of applications.

-- Journal date filters: created_at never decreases with id (db/applications.c
-- keeps it so), so a date range is an id range found on this index, and a
-- page stays one range of a (scope, id) index (db/journal.c).
CREATE INDEX applications_created ON applications(created_at);
