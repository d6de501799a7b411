-- 031_service_counts.sql — the kept status counts split by service and
-- package.
--
-- The journal opens with its counts per status, and the first page of any
-- filter brings them too (the client asks for them with every filter).
-- Without a filter they come from status_counts (008); with a service
-- filter they were counted on the scope's index with a table lookup per
-- application to test its service: at national size (1,000,000
-- applications) 45-140 ms for a hromada or back office, seconds for an
-- oblast, while every other kind of journal request takes milliseconds;
-- with a package filter (full or partial) every index entry of the scope
-- was read: 3-14 ms for a hromada's 50,000.
--
-- So the kept counts are kept per service and package too: one row per
-- scope, territory, SERVICE, PACKAGE (package_full) and status.  Every
-- insert, status change, move and delete moves exactly as many rows as
-- before (one per level, out of the old and into the new), only the rows
-- are finer; a count without a filter sums a scope's rows per status (at
-- most services x 2 x statuses rows, a few hundred), one with a service
-- or a package filter sums fewer.  A draft whose service is changed, and
-- an application whose package becomes full (or partial again), moves
-- between rows the same way (service_code and package_full join the
-- columns the update trigger follows; a package changes once or twice in
-- an application's life, when its scans complete it).
--
-- The triggers are 008's (as 029 recreated status_counts_update, with its
-- condition on summary_hold word for word) with the service and package
-- added; the batch's own move of the summaries (db/batch_summaries.c)
-- counts per service and package as well.  Readers that want one number
-- per status sum(n).
--
-- Filled from the applications in one pass (each application's five
-- levels from one grouped scan), not five.
--
-- Repeats on purpose, as 008 says: SQLite triggers cannot call a shared
-- routine, so each trigger spells out the statement of every level; and
-- a migration's statements never change once it has landed.
CREATE TABLE status_counts_by_service (
	scope        TEXT NOT NULL,
	territory_id INTEGER NOT NULL,
	service      TEXT NOT NULL,
	package_full INTEGER NOT NULL,
	status       TEXT NOT NULL,
	n            INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (scope, territory_id, service, package_full, status)
) WITHOUT ROWID;

CREATE TEMP TABLE service_counts_fill AS
	SELECT front_office_id AS fo, hromada_id AS hr, spszn_id AS sp,
	    oblast_id AS ob, service_code AS service, package_full AS pkg,
	    status, count(*) AS n
	FROM applications GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO status_counts_by_service
	SELECT 'front_office', fo, service, pkg, status, sum(n)
	FROM temp.service_counts_fill GROUP BY 2, 3, 4, 5;
INSERT INTO status_counts_by_service
	SELECT 'hromada', hr, service, pkg, status, sum(n)
	FROM temp.service_counts_fill GROUP BY 2, 3, 4, 5;
INSERT INTO status_counts_by_service
	SELECT 'spszn', sp, service, pkg, status, sum(n)
	FROM temp.service_counts_fill GROUP BY 2, 3, 4, 5;
INSERT INTO status_counts_by_service
	SELECT 'oblast', ob, service, pkg, status, sum(n)
	FROM temp.service_counts_fill GROUP BY 2, 3, 4, 5;
INSERT INTO status_counts_by_service
	SELECT 'all', 0, service, pkg, status, sum(n)
	FROM temp.service_counts_fill GROUP BY 3, 4, 5;
DROP TABLE temp.service_counts_fill;

DROP TRIGGER status_counts_insert;
DROP TRIGGER status_counts_delete;
DROP TRIGGER status_counts_update;
DROP TABLE status_counts;
ALTER TABLE status_counts_by_service RENAME TO status_counts;

CREATE TRIGGER status_counts_insert AFTER INSERT ON applications
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

CREATE TRIGGER status_counts_delete AFTER DELETE ON applications
BEGIN
	UPDATE status_counts SET n = n - 1 WHERE scope = 'front_office' AND
	    territory_id = OLD.front_office_id AND
	    service = OLD.service_code AND package_full = OLD.package_full AND
	    status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'hromada' AND
	    territory_id = OLD.hromada_id AND
	    service = OLD.service_code AND package_full = OLD.package_full AND
	    status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'spszn' AND
	    territory_id = OLD.spszn_id AND
	    service = OLD.service_code AND package_full = OLD.package_full AND
	    status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'oblast' AND
	    territory_id = OLD.oblast_id AND
	    service = OLD.service_code AND package_full = OLD.package_full AND
	    status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'all' AND
	    territory_id = 0 AND
	    service = OLD.service_code AND package_full = OLD.package_full AND
	    status = OLD.status;
END;

-- A change of status, service, package or territory: out of the old
-- rows, into the new -- but not a status change while a batch holds the
-- summaries (029): the batch moves those itself.
CREATE TRIGGER status_counts_update
AFTER UPDATE OF status, service_code, package_full, front_office_id,
    hromada_id, spszn_id, oblast_id ON applications
WHEN (OLD.status IS NOT NEW.status OR
     OLD.service_code IS NOT NEW.service_code OR
     OLD.package_full IS NOT NEW.package_full OR
     OLD.front_office_id IS NOT NEW.front_office_id OR
     OLD.hromada_id IS NOT NEW.hromada_id OR
     OLD.spszn_id IS NOT NEW.spszn_id OR OLD.oblast_id IS NOT NEW.oblast_id)
     AND NOT (OLD.service_code IS NEW.service_code AND
     OLD.package_full IS NEW.package_full AND
     OLD.front_office_id IS NEW.front_office_id AND
     OLD.hromada_id IS NEW.hromada_id AND OLD.spszn_id IS NEW.spszn_id AND
     OLD.oblast_id IS NEW.oblast_id AND EXISTS (SELECT 1 FROM summary_hold))
BEGIN
	UPDATE status_counts SET n = n - 1 WHERE scope = 'front_office' AND
	    territory_id = OLD.front_office_id AND
	    service = OLD.service_code AND package_full = OLD.package_full AND
	    status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'hromada' AND
	    territory_id = OLD.hromada_id AND
	    service = OLD.service_code AND package_full = OLD.package_full AND
	    status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'spszn' AND
	    territory_id = OLD.spszn_id AND
	    service = OLD.service_code AND package_full = OLD.package_full AND
	    status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'oblast' AND
	    territory_id = OLD.oblast_id AND
	    service = OLD.service_code AND package_full = OLD.package_full AND
	    status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'all' AND
	    territory_id = 0 AND
	    service = OLD.service_code AND package_full = OLD.package_full AND
	    status = OLD.status;
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
