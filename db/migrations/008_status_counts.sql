-- 008_status_counts.sql — the journal's counts per status, kept as they change.
--
-- Every journal a clerk opens shows how many applications of the scope are
-- in each status.  Counting them (db_journal_counts) reads one index entry
-- per application of the scope: a big hromada's 50,000 entries took up to
-- 14 ms (tests/bench/INTAKE.md), and under load (tests/load) the counts were
-- a fifth of the server's CPU at a tenth of its requests.  The counts
-- without filters are therefore kept here, one row per scope, territory and
-- status, by the triggers below, whoever writes (server, hromadactl, a
-- restore of an older backup migrates the same way); db/journal.c reads them
-- when the journal asks for no filter, and counts the index otherwise.
--
-- scope is the column of applications the count is for ('front_office',
-- 'hromada', 'spszn', 'oblast'), or 'all' with territory_id 0.  A row whose
-- count falls to 0 stays (it costs nothing and comes back).
--
-- Repeats on purpose: SQLite triggers cannot call a shared routine, so
-- each trigger spells out the statement of every scope it counts;
-- and a migration's statements never change once it has landed.
CREATE TABLE status_counts (
	scope        TEXT NOT NULL,
	territory_id INTEGER NOT NULL,
	status       TEXT NOT NULL,
	n            INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (scope, territory_id, status)
) WITHOUT ROWID;

INSERT INTO status_counts
	SELECT 'front_office', front_office_id, status, count(*)
	FROM applications GROUP BY front_office_id, status;
INSERT INTO status_counts
	SELECT 'hromada', hromada_id, status, count(*)
	FROM applications GROUP BY hromada_id, status;
INSERT INTO status_counts
	SELECT 'spszn', spszn_id, status, count(*)
	FROM applications GROUP BY spszn_id, status;
INSERT INTO status_counts
	SELECT 'oblast', oblast_id, status, count(*)
	FROM applications GROUP BY oblast_id, status;
INSERT INTO status_counts
	SELECT 'all', 0, status, count(*) FROM applications GROUP BY status;

CREATE TRIGGER status_counts_insert AFTER INSERT ON applications
BEGIN
	INSERT INTO status_counts VALUES ('front_office', NEW.front_office_id,
	    NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('hromada', NEW.hromada_id,
	    NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('spszn', NEW.spszn_id,
	    NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('oblast', NEW.oblast_id,
	    NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('all', 0, NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER status_counts_delete AFTER DELETE ON applications
BEGIN
	UPDATE status_counts SET n = n - 1 WHERE scope = 'front_office' AND
	    territory_id = OLD.front_office_id AND status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'hromada' AND
	    territory_id = OLD.hromada_id AND status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'spszn' AND
	    territory_id = OLD.spszn_id AND status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'oblast' AND
	    territory_id = OLD.oblast_id AND status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'all' AND
	    territory_id = 0 AND status = OLD.status;
END;

-- A change of status or of territory: out of the old rows, into the new.
CREATE TRIGGER status_counts_update
AFTER UPDATE OF status, front_office_id, hromada_id, spszn_id, oblast_id
ON applications
WHEN OLD.status IS NOT NEW.status OR
     OLD.front_office_id IS NOT NEW.front_office_id OR
     OLD.hromada_id IS NOT NEW.hromada_id OR
     OLD.spszn_id IS NOT NEW.spszn_id OR OLD.oblast_id IS NOT NEW.oblast_id
BEGIN
	UPDATE status_counts SET n = n - 1 WHERE scope = 'front_office' AND
	    territory_id = OLD.front_office_id AND status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'hromada' AND
	    territory_id = OLD.hromada_id AND status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'spszn' AND
	    territory_id = OLD.spszn_id AND status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'oblast' AND
	    territory_id = OLD.oblast_id AND status = OLD.status;
	UPDATE status_counts SET n = n - 1 WHERE scope = 'all' AND
	    territory_id = 0 AND status = OLD.status;
	INSERT INTO status_counts VALUES ('front_office', NEW.front_office_id,
	    NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('hromada', NEW.hromada_id,
	    NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('spszn', NEW.spszn_id,
	    NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('oblast', NEW.oblast_id,
	    NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO status_counts VALUES ('all', 0, NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
END;
