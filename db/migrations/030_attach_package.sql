-- 030_attach_package.sql — attaching a page writes `applications` only
-- when the package changes.
--
-- 021's triggers recounted the package after every attachment added or
-- removed and wrote package_full back whether it changed or not.  Writing
-- it rewrites the application's row and every index that holds the
-- column (the four journal walks of 007, applications_checked of 025):
-- about a third of the pages a stored scan cost, and the same for every
-- further page of a document type the application had already
-- (tests/bench/SCANS.md).  Now
--   - an attachment recounts only when it brings a document type the
--     application did not have (the WHEN below): a further page cannot
--     change what is covered;
--   - a removal recounts only when it took the type's last page (as
--     before, application_documents loses the type then);
--   - either writes package_full only when the recount differs from it.
-- The package is what 021 said it is: full when every document type the
-- service requires has at least one attached file.
--
-- Repeats on purpose, as 021 says: SQLite triggers cannot call a shared
-- routine, so each spells out the recount.

DROP TRIGGER attachments_package_add;
DROP TRIGGER attachments_package_remove;

CREATE TRIGGER attachments_package_add AFTER INSERT ON attachments
WHEN NOT EXISTS (SELECT 1 FROM application_documents d WHERE
    d.application_id = NEW.application_id AND d.doc_code = NEW.doc_code)
BEGIN
	INSERT INTO application_documents (application_id, doc_code)
	    VALUES (NEW.application_id, NEW.doc_code);
	UPDATE applications SET package_full = NOT EXISTS (
	    SELECT 1 FROM service_documents sd WHERE
	    sd.service_code = applications.service_code AND NOT EXISTS (
	        SELECT 1 FROM application_documents d WHERE
	        d.application_id = applications.id AND d.doc_code = sd.doc_code))
	WHERE id = NEW.application_id AND package_full IS NOT (NOT EXISTS (
	    SELECT 1 FROM service_documents sd WHERE
	    sd.service_code = applications.service_code AND NOT EXISTS (
	        SELECT 1 FROM application_documents d WHERE
	        d.application_id = applications.id AND d.doc_code = sd.doc_code)));
END;

CREATE TRIGGER attachments_package_remove AFTER DELETE ON attachments
WHEN NOT EXISTS (SELECT 1 FROM attachments a WHERE
    a.application_id = OLD.application_id AND a.doc_code = OLD.doc_code)
BEGIN
	DELETE FROM application_documents WHERE
	    application_id = OLD.application_id AND doc_code = OLD.doc_code;
	UPDATE applications SET package_full = NOT EXISTS (
	    SELECT 1 FROM service_documents sd WHERE
	    sd.service_code = applications.service_code AND NOT EXISTS (
	        SELECT 1 FROM application_documents d WHERE
	        d.application_id = applications.id AND d.doc_code = sd.doc_code))
	WHERE id = OLD.application_id AND package_full IS NOT (NOT EXISTS (
	    SELECT 1 FROM service_documents sd WHERE
	    sd.service_code = applications.service_code AND NOT EXISTS (
	        SELECT 1 FROM application_documents d WHERE
	        d.application_id = applications.id AND d.doc_code = sd.doc_code)));
END;
