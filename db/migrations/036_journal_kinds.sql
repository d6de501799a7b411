-- 036_journal_kinds.sql — an index range per service, status and package,
-- so that a journal page filtered by them reads what it lists.
--
-- A page with a service or a status filter walked the scope's (scope, id,
-- status, package) index (007) from the newest entry and tested each one:
-- the status and the package on the entry, the service on the table row.
-- It cost what the scope held between its matches, not what it listed.
-- Under the load benchmark (tests/load/run-load.sh) the front offices
-- save ~8,000 new drafts a minute, all of one service: after a few minutes
-- a page of another service, or of any status but draft, passed over tens
-- of thousands of them (SQLite alone, CPU a request: service 0.18 ->
-- 7.12 ms, status 0.24 -> 3.40 ms).
--
-- Here each level whose users list applications (front office, hromada,
-- back office) gets an index keyed by scope, service, status, package and
-- id: the range of one (service, status, package) holds exactly those
-- applications, newest first.  db/journal.c merges the ranges a filter
-- admits -- the combinations the kept counts (status_counts, 031) say the
-- scope has, in the statuses the role sees -- in id order.
--
-- What a write pays: one more entry per index at an insert, and a status
-- or package change rewrites it (as it rewrites the 007 walk's and the
-- name search's, which hold the status too).  An oblast's or the
-- country's page keeps its walk: no role lists applications there.
CREATE INDEX applications_front_kind ON applications(front_office_id,
    service_code, status, package_full, id);
CREATE INDEX applications_hromada_kind ON applications(hromada_id,
    service_code, status, package_full, id);
-- The back office's holds only the statuses it sees, as 007's
-- applications_spszn_seen (the same condition, term for term: SQLite uses
-- a partial index only for a query that repeats it): the drafts and the
-- cases still at the hromadas -- most writes -- never touch it.
CREATE INDEX applications_spszn_kind ON applications(spszn_id,
    service_code, status, package_full, id)
	WHERE status IN ('at_spszn', 'returned_otg', 'checked', 'exported',
	    'answered');
