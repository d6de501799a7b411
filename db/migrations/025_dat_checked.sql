-- 025_dat_checked.sql — a back office's checked applications by service,
-- for the *.DAT export (db/dat.c, db/dat_export.c).
--
-- An export takes the oldest checked applications of one decision system
-- (its services), at most 500 a file, and says how many are left; its dry
-- run counts them per system with the partial packages among them.  The
-- decision system is the service's, which no index on applications held:
-- each export read the row of every checked application of the back
-- office -- at national size an export of 10,000 in files of 500 read
-- 105,000 rows for that alone, 13 % of its time (tests/bench/DAT.md).
-- This partial index holds only the checked applications (few at any
-- time: they leave it when exported), with the service and the package,
-- so the choice, the count and the dry run read its pages alone.
CREATE INDEX applications_checked
	ON applications(spszn_id, service_code, package_full)
	WHERE status = 'checked';
