-- 002_status_indexes.sql — per-status counts for every scope.
--
-- The journal header counts applications per status in the user's scope
-- (db_journal_counts).  001 had (scope, status) indexes for hromadas and
-- back offices only; an oblast's count then read ~40,000 table rows (0.3 s
-- at 1,000,000 applications).  With these the count reads index entries
-- only, and a front office's status filter is an index range too.
CREATE INDEX applications_front_status ON applications(front_office_id, status);
CREATE INDEX applications_oblast_status ON applications(oblast_id, status);
