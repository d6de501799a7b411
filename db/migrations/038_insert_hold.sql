-- 038_insert_hold.sql — a new application's status counts moved with its
-- batch, not row by row.
--
-- status_counts (008, split by service and package in 031) is kept by
-- triggers.  Since 029 a batch holds the status changes (the server's
-- group commit holds every write transaction: db/batch_summaries.h) and
-- moves each summary row once at its end, but an insert was never held:
-- every new application upserted its five rows (front office, hromada,
-- back office, oblast, the country) on its own.  Under the load
-- benchmark's writes (tests/load/run-load.sh, pass 4: ~2,000 new drafts a
-- second, every one of the same few rows) that was 5 of the ~30 b-tree
-- writes of a draft, on the event loop that makes every write.
--
-- Now an insert while a batch holds leaves them to the batch too: every
-- application is created with its creation history row (from_status
-- NULL, db/applications.c) right after its INSERT, and the batch's release
-- (db/batch_summaries.c) counts those rows since the hold as +1 at the
-- application's status, as it counts a status change -- at the
-- application's territories, service and package as they are at the
-- release, which db_batch_summaries_touch keeps right as it does for
-- held status changes.  An insert with no hold (hromadactl, gen_big)
-- moves the rows here as before.  The untold counts (026) of an insert
-- are not held: only an answered application counts there, and none is
-- created answered.
--
-- 031's trigger word for word but for its condition on summary_hold.
DROP TRIGGER status_counts_insert;
CREATE TRIGGER status_counts_insert AFTER INSERT ON applications
WHEN NOT EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO status_counts VALUES ('front_office', NEW.front_office_id,
	    NEW.service_code, NEW.package_full, NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('hromada', NEW.hromada_id,
	    NEW.service_code, NEW.package_full, NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('spszn', NEW.spszn_id,
	    NEW.service_code, NEW.package_full, NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('oblast', NEW.oblast_id,
	    NEW.service_code, NEW.package_full, NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('all', 0, NEW.service_code,
	    NEW.package_full, NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
END;
