-- 005_perf.sql — the journal's name search within a scope.
--
-- Measured by tests/bench/bench_intake (1,000,000 applications, 5,000,000
-- persons): a journal search by a name prefix had to start either from the
-- persons (national: "ков" matches ~60,000 of them) or from the scope's
-- applications (50,000 in a big hromada, testing each applicant), and a
-- prefix common in the country but rare in the scope read the whole scope:
-- pages of 200-350 ms, and counts by status with a name of 250-900 ms.
--
-- The applicant's folded name is therefore kept on the application too
-- (applicant_search = persons.search_name of applicant_id, maintained by the
-- triggers below, whoever writes), and indexed after each scope column that
-- journals use.  A name prefix within a scope is then one index range
-- holding exactly the matching applications; with the status in the index,
-- counts per status read index entries only (db/journal.c).
--
-- Repeats on purpose: SQLite triggers cannot call a shared routine, so
-- each trigger spells out the same statement for the event it watches;
-- and a migration's statements never change once it has landed.

ALTER TABLE applications ADD COLUMN applicant_search TEXT;

UPDATE applications SET applicant_search =
	(SELECT search_name FROM persons p WHERE p.id = applications.applicant_id);

CREATE TRIGGER applications_search_insert AFTER INSERT ON applications
BEGIN
	UPDATE applications SET applicant_search =
		(SELECT search_name FROM persons WHERE id = NEW.applicant_id)
	WHERE id = NEW.id;
END;

CREATE TRIGGER applications_search_applicant
AFTER UPDATE OF applicant_id ON applications
BEGIN
	UPDATE applications SET applicant_search =
		(SELECT search_name FROM persons WHERE id = NEW.applicant_id)
	WHERE id = NEW.id;
END;

CREATE TRIGGER persons_search_to_applications
AFTER UPDATE OF search_name ON persons
BEGIN
	UPDATE applications SET applicant_search = NEW.search_name
	WHERE applicant_id = NEW.id;
END;

CREATE INDEX applications_front_search
	ON applications(front_office_id, applicant_search, status);
CREATE INDEX applications_hromada_search
	ON applications(hromada_id, applicant_search, status);
CREATE INDEX applications_spszn_search
	ON applications(spszn_id, applicant_search, status);
