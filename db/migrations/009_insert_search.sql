-- 009_insert_search.sql — an application's applicant_search in its INSERT.
--
-- 005 kept applications.applicant_search by an AFTER INSERT trigger that
-- updated the row it had just inserted: every new application was written
-- twice, and its three (scope, applicant_search, status) index entries
-- twice.  db/applications.c now writes the folded name in the INSERT
-- itself; the trigger stays for other writers (hromadactl, tests, a future
-- import) and fires only when the INSERT left the name out.  Likewise the
-- applicant's trigger fired on every UPDATE naming applicant_id, changed or
-- not; now only on a change.
DROP TRIGGER applications_search_insert;
CREATE TRIGGER applications_search_insert AFTER INSERT ON applications
WHEN NEW.applicant_search IS NULL
BEGIN
	UPDATE applications SET applicant_search =
		(SELECT search_name FROM persons WHERE id = NEW.applicant_id)
	WHERE id = NEW.id;
END;

DROP TRIGGER applications_search_applicant;
CREATE TRIGGER applications_search_applicant
AFTER UPDATE OF applicant_id ON applications
WHEN OLD.applicant_id IS NOT NEW.applicant_id
BEGIN
	UPDATE applications SET applicant_search =
		(SELECT search_name FROM persons WHERE id = NEW.applicant_id)
	WHERE id = NEW.id;
END;
