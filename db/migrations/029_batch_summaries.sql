-- 029_batch_summaries.sql — a batch's summaries moved once, at its end.
--
-- Three summaries are kept current by triggers, application by
-- application: the journal's counts per status (status_counts, 008), the
-- untold decisions (untold_counts, 026) and the reports' facts
-- (report_facts, 019).  A *.DAT export or import changes the status of
-- 500 applications in one transaction, and moved them 500 times: at
-- national size (tests/bench/DAT.md) each answered application cost 61 us
-- in report facts (15 rows up: its decision and two stage times, at five
-- levels), 28 us in status counts (ten rows) and 22 us in untold counts
-- (five), of ~290 us in all -- mostly the same few rows moved again and
-- again.  While a batch runs, a row of summary_hold says so: the triggers
-- below leave to the batch what it will count itself, and the batch
-- (db/batch_summaries.c) moves each summary row once at its end, in the
-- same transaction, counted from its own history rows and decisions:
--  - a status change of an application whose territories do not change
--    (the batch's; it writes a history row from -> to for each):
--    status_counts and untold_counts from the history rows with
--    id >= history_from;
--  - the facts of those history rows, and of the decisions of the
--    batch's answer file (file_id): the same views (019), the same fan-out
--    to five levels as report_fact_in_add, grouped.
-- Anything else -- an insert, a territory moved, an applicant told, a
-- history row before the batch, another file's decision -- moves the
-- summaries through the triggers as before, hold or not.  The hold lives
-- only inside the batch's transaction (db_batch_summaries_release deletes
-- it; a rollback takes it with everything else).
--
-- Repeats on purpose: a trigger cannot be altered, only dropped and
-- created again; each is 008's, 019's and 026's word for word but for the
-- condition on summary_hold.
CREATE TABLE summary_hold (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	history_from INTEGER NOT NULL,   -- the batch's first history id
	file_id      INTEGER             -- its answer file's decisions, or NULL
);

DROP TRIGGER status_counts_update;
CREATE TRIGGER status_counts_update
AFTER UPDATE OF status, front_office_id, hromada_id, spszn_id, oblast_id
ON applications
WHEN (OLD.status IS NOT NEW.status OR
     OLD.front_office_id IS NOT NEW.front_office_id OR
     OLD.hromada_id IS NOT NEW.hromada_id OR
     OLD.spszn_id IS NOT NEW.spszn_id OR OLD.oblast_id IS NOT NEW.oblast_id)
     AND NOT (OLD.front_office_id IS NEW.front_office_id AND
     OLD.hromada_id IS NEW.hromada_id AND OLD.spszn_id IS NEW.spszn_id AND
     OLD.oblast_id IS NEW.oblast_id AND EXISTS (SELECT 1 FROM summary_hold))
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

DROP TRIGGER untold_counts_update;
CREATE TRIGGER untold_counts_update
AFTER UPDATE OF status, notified_at, front_office_id, hromada_id, spszn_id,
    oblast_id ON applications
WHEN ((OLD.status = 'answered' AND OLD.notified_at IS NULL) OR
     (NEW.status = 'answered' AND NEW.notified_at IS NULL))
     AND NOT (OLD.notified_at IS NEW.notified_at AND
     OLD.front_office_id IS NEW.front_office_id AND
     OLD.hromada_id IS NEW.hromada_id AND OLD.spszn_id IS NEW.spszn_id AND
     OLD.oblast_id IS NEW.oblast_id AND EXISTS (SELECT 1 FROM summary_hold))
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

DROP TRIGGER report_history_add;
CREATE TRIGGER report_history_add AFTER INSERT ON application_history
WHEN NEW.from_status IS NOT NEW.to_status AND NOT EXISTS
    (SELECT 1 FROM summary_hold WHERE NEW.id >= history_from)
BEGIN
	INSERT INTO report_fact_in
	SELECT application_id, at, measure, key, amount
	FROM report_history_facts WHERE history_id = NEW.id;
END;

DROP TRIGGER report_decision_add;
CREATE TRIGGER report_decision_add AFTER INSERT ON decisions
WHEN NOT EXISTS (SELECT 1 FROM summary_hold WHERE file_id = NEW.file_id)
BEGIN
	INSERT INTO report_fact_in
	SELECT application_id, at, measure, key, amount
	FROM report_decision_facts WHERE application_id = NEW.application_id;
END;
