-- 026_untold_counts.sql — the decisions whose applicant was not told, per
-- scope, kept as they change (like the status counts, 008_status_counts).
--
-- Every journal opened with its tabs' counts also shows the scope's count
-- of «рішення є, заявника не повідомлено» (journal.list `unnotified`).
-- The partial indexes of 012_paper and 024_unnotified_scopes made that a
-- count of index entries, one per such decision: at national size an
-- УСЗН's or an oblast's tens of thousands of entries, milliseconds of CPU
-- per journal opened -- with 200 clerks the costliest part of a journal
-- page with counts.  Kept here, it is one row whoever asks.
--
-- scope is the applications column the count is for ('front_office',
-- 'hromada', 'spszn', 'oblast'), or 'all' with territory_id 0.  The
-- triggers fire only when an application becomes or stops being "answered,
-- applicant not told" (a decision imported, the applicant told, a rare
-- territory change), so saves and transitions pay nothing for them.
--
-- Repeats on purpose: SQLite triggers cannot call a shared routine, so
-- each trigger spells out the statement of every scope it counts.
CREATE TABLE untold_counts (
	scope        TEXT NOT NULL,
	territory_id INTEGER NOT NULL,
	n            INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (scope, territory_id)
) WITHOUT ROWID;

INSERT INTO untold_counts
	SELECT 'front_office', front_office_id, count(*) FROM applications
	WHERE status = 'answered' AND notified_at IS NULL
	GROUP BY front_office_id;
INSERT INTO untold_counts
	SELECT 'hromada', hromada_id, count(*) FROM applications
	WHERE status = 'answered' AND notified_at IS NULL GROUP BY hromada_id;
INSERT INTO untold_counts
	SELECT 'spszn', spszn_id, count(*) FROM applications
	WHERE status = 'answered' AND notified_at IS NULL GROUP BY spszn_id;
INSERT INTO untold_counts
	SELECT 'oblast', oblast_id, count(*) FROM applications
	WHERE status = 'answered' AND notified_at IS NULL GROUP BY oblast_id;
INSERT INTO untold_counts
	SELECT 'all', 0, count(*) FROM applications
	WHERE status = 'answered' AND notified_at IS NULL;

CREATE TRIGGER untold_counts_insert AFTER INSERT ON applications
WHEN NEW.status = 'answered' AND NEW.notified_at IS NULL
BEGIN
	INSERT INTO untold_counts VALUES ('front_office', NEW.front_office_id, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO untold_counts VALUES ('hromada', NEW.hromada_id, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO untold_counts VALUES ('spszn', NEW.spszn_id, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO untold_counts VALUES ('oblast', NEW.oblast_id, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO untold_counts VALUES ('all', 0, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER untold_counts_delete AFTER DELETE ON applications
WHEN OLD.status = 'answered' AND OLD.notified_at IS NULL
BEGIN
	UPDATE untold_counts SET n = n - 1 WHERE scope = 'front_office' AND
	    territory_id = OLD.front_office_id;
	UPDATE untold_counts SET n = n - 1 WHERE scope = 'hromada' AND
	    territory_id = OLD.hromada_id;
	UPDATE untold_counts SET n = n - 1 WHERE scope = 'spszn' AND
	    territory_id = OLD.spszn_id;
	UPDATE untold_counts SET n = n - 1 WHERE scope = 'oblast' AND
	    territory_id = OLD.oblast_id;
	UPDATE untold_counts SET n = n - 1 WHERE scope = 'all' AND
	    territory_id = 0;
END;

-- Out of the old rows if it was untold, into the new ones if it is.
CREATE TRIGGER untold_counts_update
AFTER UPDATE OF status, notified_at, front_office_id, hromada_id, spszn_id,
    oblast_id ON applications
WHEN (OLD.status = 'answered' AND OLD.notified_at IS NULL) OR
     (NEW.status = 'answered' AND NEW.notified_at IS NULL)
BEGIN
	UPDATE untold_counts SET n = n - 1 WHERE OLD.status = 'answered' AND
	    OLD.notified_at IS NULL AND ((scope = 'front_office' AND
	    territory_id = OLD.front_office_id) OR (scope = 'hromada' AND
	    territory_id = OLD.hromada_id) OR (scope = 'spszn' AND
	    territory_id = OLD.spszn_id) OR (scope = 'oblast' AND
	    territory_id = OLD.oblast_id) OR (scope = 'all' AND
	    territory_id = 0));
	INSERT INTO untold_counts
	    SELECT 'front_office', NEW.front_office_id, 1
	    WHERE NEW.status = 'answered' AND NEW.notified_at IS NULL
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO untold_counts
	    SELECT 'hromada', NEW.hromada_id, 1
	    WHERE NEW.status = 'answered' AND NEW.notified_at IS NULL
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO untold_counts
	    SELECT 'spszn', NEW.spszn_id, 1
	    WHERE NEW.status = 'answered' AND NEW.notified_at IS NULL
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO untold_counts
	    SELECT 'oblast', NEW.oblast_id, 1
	    WHERE NEW.status = 'answered' AND NEW.notified_at IS NULL
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO untold_counts
	    SELECT 'all', 0, 1
	    WHERE NEW.status = 'answered' AND NEW.notified_at IS NULL
	    ON CONFLICT DO UPDATE SET n = n + 1;
END;
