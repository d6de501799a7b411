-- 017_audit_archive.sql — the audit log's retention: archived segments.
--
-- Every read is an audit record (~280 bytes with its index); with thousands
-- of clerks the log grows by gigabytes a day.  `hromadactl audit archive
-- --before DATE` moves a closed segment of the chain (its oldest records)
-- into a compressed, self-verifying archive file (hromada-audit-archive(5))
-- and then deletes it from audit_log in short transactions; this registry
-- keeps each segment's first and last hashes, so `audit verify` still
-- proves the live chain continues the archived ones, and an anchor record
-- `audit.archive` in the chain itself binds the registry row.
CREATE TABLE audit_archives (
	id           INTEGER PRIMARY KEY,
	first_id     INTEGER NOT NULL,     -- the segment: audit_log ids
	last_id      INTEGER NOT NULL,
	records      INTEGER NOT NULL,
	first_at     INTEGER NOT NULL,
	last_at      INTEGER NOT NULL,
	prev_hash    BLOB NOT NULL,        -- hash of record first_id - 1
	last_hash    BLOB NOT NULL,        -- hash of record last_id
	file         TEXT NOT NULL,        -- where it was written, for people
	file_bytes   INTEGER NOT NULL,
	created_at   INTEGER NOT NULL,
	anchor_id    INTEGER NOT NULL,     -- its `audit.archive` record
	deleted_to   INTEGER NOT NULL,     -- records up to here are gone from
	deleted_hash BLOB NOT NULL,        -- audit_log; the hash of that one
	CHECK (first_id <= last_id AND deleted_to BETWEEN first_id - 1 AND last_id)
);
CREATE UNIQUE INDEX audit_archives_first ON audit_archives(first_id);

-- Only archived records may go (still in order, oldest first: the archive
-- command deletes upwards from the oldest).
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_archives
                 WHERE OLD.id BETWEEN first_id AND last_id)
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only (only archived records may be deleted)');
END;
