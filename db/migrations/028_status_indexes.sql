-- 028_status_indexes.sql — fewer index entries rewritten by a status change.
--
-- Every status change rewrites the entry of each index of applications
-- that holds the status: at national size a *.DAT export or import of
-- 10,000 applications spent most of its time there, not in the exchange
-- (tests/bench/DAT.md; issue 17's target: each < 2 s).  The four
-- (scope, status) indexes of 001/002 served three things, all now served
-- otherwise:
--  - the journal's counts per status without a filter: kept in
--    status_counts since 008 (db/journal.c reads them);
--  - report.summary's counts per hromada and status: read from
--    status_counts too (db/report.c);
--  - a journal page filtered by one status: it walks the scope's
--    (scope, id, status, package) index of 007 from the cursor, testing
--    the status on the index entry (no table read for the rows passed
--    over), in id order as before; counts with a filter group the same
--    walk's entries.
-- The partial indexes of the answered-and-untold applications (012, 024)
-- stay: they are what the «не повідомлено» page reads, in id order.
DROP INDEX applications_front_status;
DROP INDEX applications_hromada_status;
DROP INDEX applications_spszn_status;
DROP INDEX applications_oblast_status;
