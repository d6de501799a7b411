-- 032_deadline_hold.sql — a batch's deadline clocks move their summaries
-- once, at its end, like the other summaries (029_batch_summaries).
--
-- Every clock started or stopped moves deadline_running and
-- deadline_facts (027) through deadline_moves' INSTEAD OF trigger: a
-- status change that ends a stage stops one clock and starts the next --
-- three moves, six statements in two levels of trigger programs (at
-- national size ~155,000 instructions of a transition on the server's
-- loop, ~75,000 of a creation).  While a batch holds the summaries (a row
-- of summary_hold: the server's group commit, a *.DAT file, a slice of
-- application.batch) the clocks' triggers only note each move -- the
-- clock's office, stage, stop time and days late, +1 or -1, exactly what
-- they would have given deadline_moves -- in deadline_held; the batch's
-- release (db/batch_summaries.c) sums them per summary row and moves
-- each row once, in the same transaction, and empties deadline_held.
-- Outside a batch the triggers move the summaries as before.  Like
-- summary_hold, deadline_held is empty whenever no transaction is open (a
-- rollback takes its rows with everything else).
--
-- Repeats on purpose: a trigger cannot be altered, only dropped and
-- created again; the three are 027's word for word but for their WHEN.
CREATE TABLE deadline_held (
	office_id  INTEGER NOT NULL,
	stage      TEXT NOT NULL,
	stopped_at INTEGER,
	late_days  INTEGER,
	sign       INTEGER NOT NULL
);

DROP TRIGGER deadline_clocks_insert;
CREATE TRIGGER deadline_clocks_insert AFTER INSERT ON application_clocks
WHEN NOT EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO deadline_moves VALUES (new.office_id, new.stage,
	    new.stopped_at, new.late_days, 1);
END;

DROP TRIGGER deadline_clocks_update;
CREATE TRIGGER deadline_clocks_update AFTER UPDATE OF office_id, stage,
    stopped_at, late_days ON application_clocks
WHEN NOT EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO deadline_moves VALUES (old.office_id, old.stage,
	    old.stopped_at, old.late_days, -1);
	INSERT INTO deadline_moves VALUES (new.office_id, new.stage,
	    new.stopped_at, new.late_days, 1);
END;

DROP TRIGGER deadline_clocks_delete;
CREATE TRIGGER deadline_clocks_delete AFTER DELETE ON application_clocks
WHEN NOT EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO deadline_moves VALUES (old.office_id, old.stage,
	    old.stopped_at, old.late_days, -1);
END;

-- The same moves while a batch holds: noted for its release.
CREATE TRIGGER deadline_clocks_insert_held AFTER INSERT ON application_clocks
WHEN EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO deadline_held VALUES (new.office_id, new.stage,
	    new.stopped_at, new.late_days, 1);
END;

CREATE TRIGGER deadline_clocks_update_held AFTER UPDATE OF office_id, stage,
    stopped_at, late_days ON application_clocks
WHEN EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO deadline_held VALUES (old.office_id, old.stage,
	    old.stopped_at, old.late_days, -1), (new.office_id, new.stage,
	    new.stopped_at, new.late_days, 1);
END;

CREATE TRIGGER deadline_clocks_delete_held AFTER DELETE ON application_clocks
WHEN EXISTS (SELECT 1 FROM summary_hold)
BEGIN
	INSERT INTO deadline_held VALUES (old.office_id, old.stage,
	    old.stopped_at, old.late_days, -1);
END;
