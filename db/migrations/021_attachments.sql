-- 021_attachments.sql — scanned documents attached to applications.
--
-- The bytes live in a directory beside the database (db/filestore.h), one
-- file per content, named by its BLAKE2b-256 hash; the database knows
-- which contents it holds (files), which application has which of them as
-- which document type (attachments), and which uploads are still on their
-- way (uploads).  A row of `files` is committed only after its file was
-- written, fsync'd, hash-verified and renamed into place, so the database
-- never names a file that is not whole; a file without a row (a crash
-- between the rename and the commit, a detached file) is removed by
-- `hromadactl files gc`.
--
-- The package: an application's document types are those with at least
-- one attachment (application_documents, kept by the triggers below), and
-- package_full says whether they cover every document its service
-- requires.  Before this migration the documents were tick boxes with no
-- file behind them; those ticks are dropped, so every package is judged
-- from real attachments from now on.
--
-- Repeats on purpose: SQLite triggers cannot call a shared routine, so
-- each trigger spells out the package's recount after its own event;
-- and a migration's statements never change once it has landed.

CREATE TABLE files (
	hash      BLOB PRIMARY KEY CHECK (length(hash) = 32),
	size      INTEGER NOT NULL CHECK (size > 0),
	type      TEXT NOT NULL CHECK (type IN ('jpeg', 'png', 'pdf', 'tiff')),
	stored_at INTEGER NOT NULL
) WITHOUT ROWID;

-- One page (file) of one document type of one application.  The same
-- content may serve several applications (it is stored once).
CREATE TABLE attachments (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications(id),
	doc_code       TEXT NOT NULL REFERENCES document_types(code),
	file_hash      BLOB NOT NULL REFERENCES files(hash),
	name           TEXT NOT NULL,            -- the file's name at the clerk's PC
	user_id        INTEGER NOT NULL REFERENCES users(id),
	attached_at    INTEGER NOT NULL,
	UNIQUE (application_id, doc_code, file_hash)
);
CREATE INDEX attachments_file ON attachments(file_hash);

-- An upload on its way: `received` bytes are in DIR/partial/<id>, fsync'd
-- in the same group commit that wrote this row.  Kept until the last byte
-- arrives (then an attachment), it is cancelled, or `hromadactl files gc`
-- drops it after upload_keep without progress.  One per (user,
-- application, document, content): beginning it again resumes it.
CREATE TABLE uploads (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,  -- names DIR/partial/<id>
	user_id        INTEGER NOT NULL REFERENCES users(id),
	application_id INTEGER NOT NULL REFERENCES applications(id),
	doc_code       TEXT NOT NULL REFERENCES document_types(code),
	name           TEXT NOT NULL,
	hash           BLOB NOT NULL CHECK (length(hash) = 32),
	size           INTEGER NOT NULL CHECK (size > 0),
	type           TEXT CHECK (type IS NULL OR type IN ('jpeg', 'png', 'pdf',
	                   'tiff')),             -- from the first chunk
	received       INTEGER NOT NULL DEFAULT 0
	                   CHECK (received >= 0 AND received <= size),
	challenge      BLOB,                     -- proof of possession (upload.prove)
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	UNIQUE (user_id, application_id, doc_code, hash)
);
CREATE INDEX uploads_hash ON uploads(hash);
CREATE INDEX uploads_application ON uploads(application_id);

-- History rows that are not a status change (attach, detach), or that
-- say more about one (a partial package sent up): the event and its
-- detail, for the client to show in the user's language.
ALTER TABLE application_history ADD COLUMN event TEXT
	CHECK (event IS NULL OR event IN ('attach', 'detach', 'partial'));
ALTER TABLE application_history ADD COLUMN event_detail TEXT;

-- ---- the package, from attachments ----

DELETE FROM application_documents;

CREATE TRIGGER attachments_package_add AFTER INSERT ON attachments
BEGIN
	INSERT OR IGNORE INTO application_documents (application_id, doc_code)
	    VALUES (NEW.application_id, NEW.doc_code);
	UPDATE applications SET package_full = NOT EXISTS (
	    SELECT 1 FROM service_documents sd WHERE
	    sd.service_code = applications.service_code AND NOT EXISTS (
	        SELECT 1 FROM application_documents d WHERE
	        d.application_id = applications.id AND d.doc_code = sd.doc_code))
	WHERE id = NEW.application_id;
END;

CREATE TRIGGER attachments_package_remove AFTER DELETE ON attachments
BEGIN
	DELETE FROM application_documents WHERE
	    application_id = OLD.application_id AND doc_code = OLD.doc_code AND
	    NOT EXISTS (SELECT 1 FROM attachments WHERE
	        application_id = OLD.application_id AND doc_code = OLD.doc_code);
	UPDATE applications SET package_full = NOT EXISTS (
	    SELECT 1 FROM service_documents sd WHERE
	    sd.service_code = applications.service_code AND NOT EXISTS (
	        SELECT 1 FROM application_documents d WHERE
	        d.application_id = applications.id AND d.doc_code = sd.doc_code))
	WHERE id = OLD.application_id;
END;

-- Another service requires other documents.
CREATE TRIGGER applications_package_service
AFTER UPDATE OF service_code ON applications
WHEN OLD.service_code IS NOT NEW.service_code
BEGIN
	UPDATE applications SET package_full = NOT EXISTS (
	    SELECT 1 FROM service_documents sd WHERE
	    sd.service_code = NEW.service_code AND NOT EXISTS (
	        SELECT 1 FROM application_documents d WHERE
	        d.application_id = NEW.id AND d.doc_code = sd.doc_code))
	WHERE id = NEW.id;
END;

-- Nothing is attached yet: full only where the service requires nothing.
UPDATE applications SET package_full = NOT EXISTS (
    SELECT 1 FROM service_documents sd WHERE
    sd.service_code = applications.service_code)
WHERE package_full != (NOT EXISTS (
    SELECT 1 FROM service_documents sd WHERE
    sd.service_code = applications.service_code));
