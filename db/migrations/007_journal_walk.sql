-- 007_journal_walk.sql — the journal's walk reads its filters from the index.
--
-- A journal page walks a (scope, id) index backwards from the cursor and
-- keeps the rows the reader may see (db/journal.c): a back office sees the
-- statuses from hand-over on only, and a package filter keeps full or
-- partial packages.  With (scope, id) alone every row passed over cost a
-- seek into the table to read its status.  Measured under load
-- (tests/load/run-load.sh): front offices saving ~400 drafts a second
-- buried the district's first page under drafts it may not see, and the
-- journal page became half of the server's CPU (0.05 ms a page alone,
-- 0.15 ms in the mix).
--
-- With the status and the package in the index, SQLite tests both on the
-- index entry and seeks the table only for the rows it keeps (its deferred
-- seek): rows passed over cost an index step.  The order is still the id's,
-- so a page is still one backwards range, no sort.  These replace the
-- indexes of 001; every query that used them uses the same leading columns.
DROP INDEX applications_front;
DROP INDEX applications_hromada;
DROP INDEX applications_spszn;
DROP INDEX applications_oblast;
CREATE INDEX applications_front_walk
	ON applications(front_office_id, id, status, package_full);
CREATE INDEX applications_hromada_walk
	ON applications(hromada_id, id, status, package_full);
CREATE INDEX applications_spszn_walk
	ON applications(spszn_id, id, status, package_full);
CREATE INDEX applications_oblast_walk
	ON applications(oblast_id, id, status, package_full);

-- A back office sees the statuses from hand-over on (proto/workflow.c),
-- while the newest applications of its district are mostly drafts and
-- applications still at the hromadas: its first page passed over all of
-- them.  This partial index holds only what it sees, so its page is the
-- first `limit` entries.  db/journal.c repeats this condition word for word
-- (SQLite uses a partial index only then): keep both in step, in the order
-- of the statuses in proto/roles.h.
CREATE INDEX applications_spszn_seen ON applications(spszn_id, id)
	WHERE status IN ('at_spszn', 'returned_otg', 'checked', 'exported',
	    'answered');
