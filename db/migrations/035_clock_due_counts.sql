-- 035_clock_due_counts.sql — the running clocks counted per scope, due
-- day, amber day and status, so that the cabinet's «late» count, and the
-- counts of the late and the expiring filters, read a few rows.
--
-- Every journal reply with counts carries the scope's late cases
-- (db_journal_late).  Since 034 it counted them on the scope's clock index
-- (022) up to 256, and past that took the entries due from today on from
-- the scope's running clocks.  Both are ranges of index entries: O(the
-- scope's late cases) or O(its cases not late).  The counts of a late or
-- an expiring page were counted on the same index (a scope whose clocks
-- ran out: 9,300 late cases of a hromada at 1M, 16 M instructions a
-- reply).  And under the load benchmark (tests/load/run-load.sh) the
-- front offices save ~8,000 new drafts a minute, each with a front-stage
-- clock due in a day or two: after a few minutes every counts reply of
-- those offices, their hromada and their back office stepped over tens
-- of thousands of them (SQLite alone, a counts reply 0.25 -> 1.73 ms).
--
-- Here each application with a running clock (stage_due not NULL) counts
-- once in the row of its (scope, territory, due day, amber day, status),
-- at the three levels whose users list applications (front office,
-- hromada, back office; an oblast's or the country's count still reads
-- the applications -- no role lists them).  The journal reads the rows
-- due from today on -- the days ahead of today, at most DB_DAYS_MAX (365)
-- working days, in practice a few, times the amber days and statuses --
-- and takes them from the scope's running clocks (status_counts less
-- clock_odd_counts, 034): the late ones; those of them whose amber day
-- has come are the expiring ones.  The status is in the key because what
-- a role sees is a set of statuses (proto/workflow.c).  The back office's
-- rows count only the statuses a back office sees (007's
-- applications_spszn_seen): a draft, the load's every new application,
-- moves two rows, not three.  An amber day of NULL (never amber) is kept
-- as 2147483647, after every day.
--
-- Rows are never deleted: a row drops to 0 as its cases move on (CHECK
-- n >= 0); a territory has at most days x amber days x statuses rows.
--
-- Moved by triggers on every insert, status, due or amber day change
-- (a calendar change moves both), territory move and delete: a status
-- change within a stage keeps the clock but moves the row of its status.
-- While a batch holds the summaries (029; the server's group commit holds
-- them for every write) the triggers only note each move in
-- clock_due_held, one row, as 032 does for the clocks' summaries; the
-- batch's release (db/batch_summaries.c) sums them per row and moves each
-- once.  Moved one by one, the rows cost a draft's save and its sending
-- on ~20 % more CPU (pass 4 of run-load.sh).
--
-- Repeats on purpose, as 008 says: each trigger spells out the statement
-- of every level; a migration's statements never change once landed.
CREATE TABLE clock_due_counts (
	scope        TEXT NOT NULL,
	territory_id INTEGER NOT NULL,
	due          INTEGER NOT NULL,      -- stage_due, a day number
	warn         INTEGER NOT NULL,      -- stage_warn, 2147483647 for NULL
	status       TEXT NOT NULL,
	n            INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (scope, territory_id, due, warn, status)
) WITHOUT ROWID;

-- The moves a batch's triggers noted (sign 1 into a row, -1 out of it),
-- for its release; empty whenever no transaction is open.
CREATE TABLE clock_due_held (
	front_office_id INTEGER NOT NULL,
	hromada_id      INTEGER NOT NULL,
	spszn_id        INTEGER NOT NULL,
	due             INTEGER NOT NULL,
	warn            INTEGER NOT NULL,
	status          TEXT NOT NULL,
	sign            INTEGER NOT NULL
);

-- Filled from the clock indexes (022), not the applications' rows (a scan
-- of the table takes minutes on a cold 5 GB file): index entries only.
INSERT INTO clock_due_counts
	SELECT 'front_office', front_office_id, stage_due,
	    coalesce(stage_warn, 2147483647), status, count(*)
	FROM applications INDEXED BY applications_front_clock
	WHERE stage_due IS NOT NULL GROUP BY 2, 3, 4, 5;
INSERT INTO clock_due_counts
	SELECT 'hromada', hromada_id, stage_due,
	    coalesce(stage_warn, 2147483647), status, count(*)
	FROM applications INDEXED BY applications_hromada_clock
	WHERE stage_due IS NOT NULL GROUP BY 2, 3, 4, 5;
INSERT INTO clock_due_counts
	SELECT 'spszn', spszn_id, stage_due,
	    coalesce(stage_warn, 2147483647), status, count(*)
	FROM applications INDEXED BY applications_spszn_clock
	WHERE stage_due IS NOT NULL AND status IN ('at_spszn', 'returned_otg',
	    'checked', 'exported', 'answered') GROUP BY 2, 3, 4, 5;

CREATE TRIGGER clock_due_counts_insert AFTER INSERT ON applications
WHEN NEW.stage_due IS NOT NULL AND NOT EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO clock_due_counts VALUES ('front_office',
	    NEW.front_office_id, NEW.stage_due,
	    coalesce(NEW.stage_warn, 2147483647), NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO clock_due_counts VALUES ('hromada', NEW.hromada_id,
	    NEW.stage_due, coalesce(NEW.stage_warn, 2147483647), NEW.status, 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO clock_due_counts SELECT 'spszn', NEW.spszn_id,
	    NEW.stage_due, coalesce(NEW.stage_warn, 2147483647), NEW.status, 1
	    WHERE NEW.status IN ('at_spszn', 'returned_otg', 'checked',
	    'exported', 'answered')
	    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER clock_due_counts_delete AFTER DELETE ON applications
WHEN OLD.stage_due IS NOT NULL AND NOT EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	UPDATE clock_due_counts SET n = n - 1 WHERE scope = 'front_office' AND
	    territory_id = OLD.front_office_id AND due = OLD.stage_due AND
	    warn = coalesce(OLD.stage_warn, 2147483647) AND status = OLD.status;
	UPDATE clock_due_counts SET n = n - 1 WHERE scope = 'hromada' AND
	    territory_id = OLD.hromada_id AND due = OLD.stage_due AND
	    warn = coalesce(OLD.stage_warn, 2147483647) AND status = OLD.status;
	UPDATE clock_due_counts SET n = n - 1 WHERE OLD.status IN ('at_spszn',
	    'returned_otg', 'checked', 'exported', 'answered') AND
	    scope = 'spszn' AND territory_id = OLD.spszn_id AND
	    due = OLD.stage_due AND
	    warn = coalesce(OLD.stage_warn, 2147483647) AND status = OLD.status;
END;

-- Out of the old row (if it had a clock), into the new one (if it has).
CREATE TRIGGER clock_due_counts_update
AFTER UPDATE OF status, stage_due, stage_warn, front_office_id, hromada_id,
    spszn_id ON applications
WHEN (OLD.stage_due IS NOT NULL OR NEW.stage_due IS NOT NULL) AND
     (OLD.stage_due IS NOT NEW.stage_due OR
     OLD.stage_warn IS NOT NEW.stage_warn OR OLD.status IS NOT NEW.status OR
     OLD.front_office_id IS NOT NEW.front_office_id OR
     OLD.hromada_id IS NOT NEW.hromada_id OR OLD.spszn_id IS NOT NEW.spszn_id)
     AND NOT EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	UPDATE clock_due_counts SET n = n - 1 WHERE scope = 'front_office' AND
	    territory_id = OLD.front_office_id AND due = OLD.stage_due AND
	    warn = coalesce(OLD.stage_warn, 2147483647) AND status = OLD.status;
	UPDATE clock_due_counts SET n = n - 1 WHERE scope = 'hromada' AND
	    territory_id = OLD.hromada_id AND due = OLD.stage_due AND
	    warn = coalesce(OLD.stage_warn, 2147483647) AND status = OLD.status;
	UPDATE clock_due_counts SET n = n - 1 WHERE OLD.status IN ('at_spszn',
	    'returned_otg', 'checked', 'exported', 'answered') AND
	    scope = 'spszn' AND territory_id = OLD.spszn_id AND
	    due = OLD.stage_due AND
	    warn = coalesce(OLD.stage_warn, 2147483647) AND status = OLD.status;
	INSERT INTO clock_due_counts SELECT 'front_office',
	    NEW.front_office_id, NEW.stage_due,
	    coalesce(NEW.stage_warn, 2147483647), NEW.status, 1
	    WHERE NEW.stage_due IS NOT NULL
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO clock_due_counts SELECT 'hromada', NEW.hromada_id,
	    NEW.stage_due, coalesce(NEW.stage_warn, 2147483647), NEW.status, 1
	    WHERE NEW.stage_due IS NOT NULL
	    ON CONFLICT DO UPDATE SET n = n + 1;
	INSERT INTO clock_due_counts SELECT 'spszn', NEW.spszn_id,
	    NEW.stage_due, coalesce(NEW.stage_warn, 2147483647), NEW.status, 1
	    WHERE NEW.stage_due IS NOT NULL AND NEW.status IN ('at_spszn',
	    'returned_otg', 'checked', 'exported', 'answered')
	    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- The same moves while a batch holds: noted for its release.
CREATE TRIGGER clock_due_counts_insert_held AFTER INSERT ON applications
WHEN NEW.stage_due IS NOT NULL AND EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO clock_due_held VALUES (NEW.front_office_id, NEW.hromada_id,
	    NEW.spszn_id, NEW.stage_due, coalesce(NEW.stage_warn, 2147483647),
	    NEW.status, 1);
END;

CREATE TRIGGER clock_due_counts_delete_held AFTER DELETE ON applications
WHEN OLD.stage_due IS NOT NULL AND EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO clock_due_held VALUES (OLD.front_office_id, OLD.hromada_id,
	    OLD.spszn_id, OLD.stage_due, coalesce(OLD.stage_warn, 2147483647),
	    OLD.status, -1);
END;

CREATE TRIGGER clock_due_counts_update_held
AFTER UPDATE OF status, stage_due, stage_warn, front_office_id, hromada_id,
    spszn_id ON applications
WHEN (OLD.stage_due IS NOT NULL OR NEW.stage_due IS NOT NULL) AND
     (OLD.stage_due IS NOT NEW.stage_due OR
     OLD.stage_warn IS NOT NEW.stage_warn OR OLD.status IS NOT NEW.status OR
     OLD.front_office_id IS NOT NEW.front_office_id OR
     OLD.hromada_id IS NOT NEW.hromada_id OR OLD.spszn_id IS NOT NEW.spszn_id)
     AND EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO clock_due_held SELECT OLD.front_office_id, OLD.hromada_id,
	    OLD.spszn_id, OLD.stage_due, coalesce(OLD.stage_warn, 2147483647),
	    OLD.status, -1 WHERE OLD.stage_due IS NOT NULL;
	INSERT INTO clock_due_held SELECT NEW.front_office_id, NEW.hromada_id,
	    NEW.spszn_id, NEW.stage_due, coalesce(NEW.stage_warn, 2147483647),
	    NEW.status, 1 WHERE NEW.stage_due IS NOT NULL;
END;
