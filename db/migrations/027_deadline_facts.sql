-- 027_deadline_facts.sql — deadline compliance read from a summary
-- (report.get `deadlines`, db/deadline_report.c), kept current by the
-- writes that start and stop clocks.
--
-- Counting the clocks stopped in a year for the whole country read every
-- one of them: at a million applications some three million index
-- entries, seconds per report.  Here every clock stopped adds itself, as
-- it stops, to one row per (office, stage, month): closed, on time, late
-- and the working days late in all; and every clock started or stopped
-- moves the count of those running per (office, stage).  A report then
-- reads a few rows per office of its territory; of the running clocks
-- only the late ones (what is late depends on the day the report is read)
-- are counted from application_clocks, one range of its index (023) per
-- office and stage.  Months are YYYYMM of stopped_at in the writer's
-- local time, as the reports' (019).
CREATE TABLE deadline_facts (
	office_id INTEGER NOT NULL,
	stage     TEXT NOT NULL,
	month     INTEGER NOT NULL,
	closed    INTEGER NOT NULL DEFAULT 0,
	on_time   INTEGER NOT NULL DEFAULT 0,
	late      INTEGER NOT NULL DEFAULT 0,
	late_days INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (office_id, stage, month)
) WITHOUT ROWID;

-- The clocks running now, per office and stage: the report counts only
-- the late ones, one range of the clock index (023) each.
CREATE TABLE deadline_running (
	office_id INTEGER NOT NULL,
	stage     TEXT NOT NULL,
	running   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (office_id, stage)
) WITHOUT ROWID;

-- One clock's contribution, added (sign 1) or taken out (-1): the one
-- place that says what a clock counts.  A view that holds nothing; what
-- is inserted into it moves the summaries.
CREATE VIEW deadline_moves (office_id, stage, stopped_at, late_days, sign)
AS SELECT NULL, NULL, NULL, NULL, NULL WHERE 0;

CREATE TRIGGER deadline_moves_apply INSTEAD OF INSERT ON deadline_moves
BEGIN
	INSERT INTO deadline_running (office_id, stage, running)
	SELECT new.office_id, new.stage, new.sign WHERE new.stopped_at IS NULL
	ON CONFLICT (office_id, stage) DO UPDATE SET
	    running = running + excluded.running;
	INSERT INTO deadline_facts (office_id, stage, month, closed, on_time,
	    late, late_days)
	SELECT new.office_id, new.stage,
	    CAST(strftime('%Y%m', new.stopped_at, 'unixepoch', 'localtime')
	    AS INTEGER), new.sign,
	    new.sign * (coalesce(new.late_days, 0) = 0),
	    new.sign * (coalesce(new.late_days, 0) > 0),
	    new.sign * coalesce(new.late_days, 0)
	WHERE new.stopped_at IS NOT NULL
	ON CONFLICT (office_id, stage, month) DO UPDATE SET
	    closed = closed + excluded.closed,
	    on_time = on_time + excluded.on_time,
	    late = late + excluded.late,
	    late_days = late_days + excluded.late_days;
END;

-- A clock started or stopped (db_deadline_move), changed, or removed; or
-- written stopped by a tool filling a database (tests/bench/gen_big).
CREATE TRIGGER deadline_clocks_insert AFTER INSERT ON application_clocks
BEGIN
	INSERT INTO deadline_moves VALUES (new.office_id, new.stage,
	    new.stopped_at, new.late_days, 1);
END;

CREATE TRIGGER deadline_clocks_update AFTER UPDATE OF office_id, stage,
    stopped_at, late_days ON application_clocks
BEGIN
	INSERT INTO deadline_moves VALUES (old.office_id, old.stage,
	    old.stopped_at, old.late_days, -1);
	INSERT INTO deadline_moves VALUES (new.office_id, new.stage,
	    new.stopped_at, new.late_days, 1);
END;

CREATE TRIGGER deadline_clocks_delete AFTER DELETE ON application_clocks
BEGIN
	INSERT INTO deadline_moves VALUES (old.office_id, old.stage,
	    old.stopped_at, old.late_days, -1);
END;

-- The clocks already there.
INSERT INTO deadline_moves
SELECT office_id, stage, stopped_at, late_days, 1 FROM application_clocks;
