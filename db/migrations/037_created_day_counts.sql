-- 037_created_day_counts.sql — the applications counted per scope,
-- creation day and status, so that the counts of a journal filtered by
-- creation dates read a few rows per day, not the days' applications.
--
-- A journal page with dates is a range of the scope's walk (its dates are
-- an id range: created_at never decreases with id, db/applications.c)
-- and lists what it shows; but its counts -- every status tab -- counted
-- every entry of the range, the week's applications for a week.  Under
-- the load benchmark (tests/load/run-load.sh) the front offices save
-- ~8,000 new drafts a minute, all in the current week: after a few minutes
-- a week's counts stepped over a hundred thousand entries (SQLite alone
-- 0.6 -> 5.4 ms a request, p99 6.7 -> 38.7 ms over 8 minutes of load).
--
-- Here each application counts once in the row of its (scope, territory,
-- creation day, status), at the three levels whose users list
-- applications (front office, hromada, back office; an oblast's or the
-- country's count still reads the applications: no role lists them).
-- The day is the creation's local day as a day number (proto/ident.h, as
-- 022's), the day a journal's date filter names: db/journal.c sums the
-- rows of the filter's days, a few statuses each, when its bounds are
-- local midnights (the server's always are).  The status is in the key
-- because what a role sees is a set of statuses (proto/workflow.c); the
-- back office's rows count only the statuses a back office sees (007's
-- applications_spszn_seen): a draft, the load's every new application,
-- moves two rows, not three.  Like report_facts' months (019) the day is
-- the server's local one: a server moved to another time zone counts old
-- applications by the days of the zone they were counted in.
--
-- Rows are never deleted: a row drops to 0 as its cases move on (CHECK
-- n >= 0); a territory has at most days x statuses rows.
--
-- What a write pays: outside a batch the triggers below move the rows
-- one by one.  While a batch holds the summaries (029; the server's group
-- commit holds them for every write) an insert or a status change moves
-- nothing here -- its history row says it all (the creation's, from NULL;
-- a change's, from -> to: db/applications.c writes one with each) -- and
-- the batch's release (db/batch_summaries.c) counts those history rows
-- per row and moves each row once: no trigger statement, no held row per
-- write.  The release reads the application's territories and creation
-- time as they are at its end, so a change of those in a batch must
-- release first (db_batch_summaries_touch with 0); unreleased, the
-- triggers refuse it (nothing in hromadad or hromadactl moves an
-- application to another office or deletes one).
--
-- Repeats on purpose, as 008 says: each trigger spells out the statement
-- of every level; a migration's statements never change once landed.
CREATE TABLE created_day_counts (
	scope        TEXT NOT NULL,
	territory_id INTEGER NOT NULL,
	day          INTEGER NOT NULL,      -- created_at's local day number
	status       TEXT NOT NULL,
	n            INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (scope, territory_id, day, status)
) WITHOUT ROWID;

-- Filled from index entries only (a scan of the table takes minutes on a
-- cold 5 GB file): the first id of each day that has applications, a
-- seek a day on applications_created (003) as journal_first_id finds it,
-- then each level's index entries counted per territory, day and status,
-- the day of an entry the last one starting at or before its id.
CREATE TEMP TABLE created_days (
	first_id INTEGER PRIMARY KEY,
	day      INTEGER NOT NULL
);
WITH RECURSIVE d(at) AS (
	SELECT min(created_at) FROM applications
	UNION ALL
	SELECT (SELECT min(created_at) FROM applications WHERE created_at >=
	    CAST(strftime('%s', d.at, 'unixepoch', 'localtime', 'start of day',
	    '+1 day', 'utc') AS INTEGER))
	FROM d WHERE d.at IS NOT NULL)
INSERT INTO temp.created_days
	SELECT (SELECT id FROM applications WHERE created_at >= d.at
	    ORDER BY created_at, id LIMIT 1),
	    CAST(round(julianday(d.at, 'unixepoch', 'localtime', 'start of day')
	    - julianday('1899-12-31')) AS INTEGER)
	FROM d WHERE d.at IS NOT NULL;

INSERT INTO created_day_counts
	SELECT 'front_office', front_office_id, (SELECT day FROM
	    temp.created_days WHERE first_id <= a.id ORDER BY first_id DESC
	    LIMIT 1), status, count(*)
	FROM applications a INDEXED BY applications_front_walk
	GROUP BY 2, 3, 4;
INSERT INTO created_day_counts
	SELECT 'hromada', hromada_id, (SELECT day FROM temp.created_days
	    WHERE first_id <= a.id ORDER BY first_id DESC LIMIT 1), status,
	    count(*)
	FROM applications a INDEXED BY applications_hromada_walk
	GROUP BY 2, 3, 4;
INSERT INTO created_day_counts
	SELECT 'spszn', spszn_id, (SELECT day FROM temp.created_days
	    WHERE first_id <= a.id ORDER BY first_id DESC LIMIT 1), status,
	    count(*)
	FROM applications a INDEXED BY applications_spszn_kind
	WHERE status IN ('at_spszn', 'returned_otg', 'checked', 'exported',
	    'answered')
	GROUP BY 2, 3, 4;
DROP TABLE temp.created_days;

CREATE TRIGGER created_day_counts_insert AFTER INSERT ON applications
WHEN NOT EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO created_day_counts VALUES ('front_office',
	    NEW.front_office_id, CAST(round(julianday(NEW.created_at,
	    'unixepoch', 'localtime', 'start of day') -
	    julianday('1899-12-31')) AS INTEGER), NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO created_day_counts VALUES ('hromada', NEW.hromada_id,
	    CAST(round(julianday(NEW.created_at, 'unixepoch', 'localtime',
	    'start of day') - julianday('1899-12-31')) AS INTEGER),
	    NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO created_day_counts SELECT 'spszn', NEW.spszn_id,
	    CAST(round(julianday(NEW.created_at, 'unixepoch', 'localtime',
	    'start of day') - julianday('1899-12-31')) AS INTEGER),
	    NEW.status, 1
	    WHERE NEW.status IN ('at_spszn', 'returned_otg', 'checked',
	    'exported', 'answered')
	    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER created_day_counts_delete AFTER DELETE ON applications
BEGIN
	SELECT RAISE(ABORT,
	    'created_day_counts: deleted in a batch; release it first')
	    WHERE EXISTS (SELECT 1 FROM summary_hold);
	UPDATE created_day_counts SET n = n - 1 WHERE scope = 'front_office'
	    AND territory_id = OLD.front_office_id AND day =
	    CAST(round(julianday(OLD.created_at, 'unixepoch', 'localtime',
	    'start of day') - julianday('1899-12-31')) AS INTEGER) AND
	    status = OLD.status;
	UPDATE created_day_counts SET n = n - 1 WHERE scope = 'hromada'
	    AND territory_id = OLD.hromada_id AND day =
	    CAST(round(julianday(OLD.created_at, 'unixepoch', 'localtime',
	    'start of day') - julianday('1899-12-31')) AS INTEGER) AND
	    status = OLD.status;
	UPDATE created_day_counts SET n = n - 1 WHERE OLD.status IN
	    ('at_spszn', 'returned_otg', 'checked', 'exported', 'answered')
	    AND scope = 'spszn' AND territory_id = OLD.spszn_id AND day =
	    CAST(round(julianday(OLD.created_at, 'unixepoch', 'localtime',
	    'start of day') - julianday('1899-12-31')) AS INTEGER) AND
	    status = OLD.status;
END;

-- Out of the old row, into the new one.  A status change alone in a
-- batch is the batch's (its history row); anything else in a batch is
-- refused (see the top).
CREATE TRIGGER created_day_counts_update
AFTER UPDATE OF status, front_office_id, hromada_id, spszn_id, created_at
ON applications
WHEN (OLD.status IS NOT NEW.status AND NOT EXISTS (SELECT 1 FROM
     summary_hold)) OR OLD.front_office_id IS NOT NEW.front_office_id OR
     OLD.hromada_id IS NOT NEW.hromada_id OR
     OLD.spszn_id IS NOT NEW.spszn_id OR OLD.created_at IS NOT NEW.created_at
BEGIN
	SELECT RAISE(ABORT,
	    'created_day_counts: moved in a batch; release it first')
	    WHERE EXISTS (SELECT 1 FROM summary_hold);
	UPDATE created_day_counts SET n = n - 1 WHERE scope = 'front_office'
	    AND territory_id = OLD.front_office_id AND day =
	    CAST(round(julianday(OLD.created_at, 'unixepoch', 'localtime',
	    'start of day') - julianday('1899-12-31')) AS INTEGER) AND
	    status = OLD.status;
	UPDATE created_day_counts SET n = n - 1 WHERE scope = 'hromada'
	    AND territory_id = OLD.hromada_id AND day =
	    CAST(round(julianday(OLD.created_at, 'unixepoch', 'localtime',
	    'start of day') - julianday('1899-12-31')) AS INTEGER) AND
	    status = OLD.status;
	UPDATE created_day_counts SET n = n - 1 WHERE OLD.status IN
	    ('at_spszn', 'returned_otg', 'checked', 'exported', 'answered')
	    AND scope = 'spszn' AND territory_id = OLD.spszn_id AND day =
	    CAST(round(julianday(OLD.created_at, 'unixepoch', 'localtime',
	    'start of day') - julianday('1899-12-31')) AS INTEGER) AND
	    status = OLD.status;
	INSERT INTO created_day_counts VALUES ('front_office',
	    NEW.front_office_id, CAST(round(julianday(NEW.created_at,
	    'unixepoch', 'localtime', 'start of day') -
	    julianday('1899-12-31')) AS INTEGER), NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO created_day_counts VALUES ('hromada', NEW.hromada_id,
	    CAST(round(julianday(NEW.created_at, 'unixepoch', 'localtime',
	    'start of day') - julianday('1899-12-31')) AS INTEGER),
	    NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO created_day_counts SELECT 'spszn', NEW.spszn_id,
	    CAST(round(julianday(NEW.created_at, 'unixepoch', 'localtime',
	    'start of day') - julianday('1899-12-31')) AS INTEGER),
	    NEW.status, 1
	    WHERE NEW.status IN ('at_spszn', 'returned_otg', 'checked',
	    'exported', 'answered')
	    ON CONFLICT DO UPDATE SET n = n + 1;
END;
