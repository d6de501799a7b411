-- 019_report_facts.sql — the summary the reports («Звітність», issue 16)
-- are read from, kept current by the transactions that change applications.
--
-- A report over a year for the whole country must not walk millions of
-- history rows, so every event a report counts is added, as it happens, to
-- one row per (territory, month, measure, key) for each of the five levels
-- the application belongs to: its front office, hromada, back office,
-- oblast and the country (territory_id 0).  A report of one territory over
-- a period is then one range of the primary key, and its drill-down one
-- range per child (db/reports.c).
--
-- The events are defined ONCE, by the views report_*_facts below; the
-- triggers insert a new row's facts through them, and the migration fills
-- the summary from the existing history the same way.  Months are the
-- writer's local time, as YYYYMM integers.
--
-- measure   key                         counted when (history row)
-- created   service code                the application is created
-- formed    service code                it first leaves the front office
--                                       (draft -> at_otg / at_spszn)
-- package   'full' | 'partial'          (same event) its package then
-- clerk     user id                     (same event) who sent it
-- sent      service code                it first reaches the back office
-- accepted  service code                the back office checked it
-- returned  'otg' | 'spszn'             returned by the hromada (to the
--                                       front office) / by the back office
-- reason    stage ':' reason            (same event) the reason as typed
-- decision  kind ':' service code       a decision imported (amount summed)
-- notified  ''                          the applicant first told (counted
--                                       in the decision's month)
-- time      stage ':' bucket            a stage finished: front (created ->
--                                       formed), otg (at the hromada ->
--                                       at_spszn), spszn (at_spszn ->
--                                       checked), decision (exported ->
--                                       answered), total (created ->
--                                       answered), notify (decision ->
--                                       told); amount sums the seconds.
-- A time bucket is the duration in whole hours below 72 hours, above that
-- in whole days (still counted in hours: 72, 96, ...).
--
-- Repeats on purpose: each UNION ALL arm is one kind of fact from the
-- history, alike in shape because every fact has the same columns;
-- and a migration's statements never change once it has landed.
CREATE TABLE report_facts (
	territory_id INTEGER NOT NULL,       -- 0: the whole country
	month        INTEGER NOT NULL,       -- YYYYMM
	measure      TEXT NOT NULL,
	key          TEXT NOT NULL,
	n            INTEGER NOT NULL,
	amount       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (territory_id, month, measure, key)
) WITHOUT ROWID;

-- When an office last worked on an application (any history row of a user
-- attached to it): what monitoring calls "using the system".
CREATE TABLE territory_activity (
	territory_id INTEGER PRIMARY KEY,
	last_at      INTEGER NOT NULL
);

-- Facts of one history row.  No event is counted twice: a row that changes
-- no status (an edit, "applicant told") has none.
CREATE VIEW report_history_facts (history_id, application_id, at, measure,
    key, amount) AS
SELECT h.id, h.application_id, h.at, 'created', a.service_code, 0
	FROM application_history h JOIN applications a ON a.id = h.application_id
	WHERE h.from_status IS NULL
UNION ALL
SELECT h.id, h.application_id, h.at, 'formed', a.service_code, 0
	FROM application_history h JOIN applications a ON a.id = h.application_id
	WHERE h.from_status = 'draft' AND h.to_status IN ('at_otg', 'at_spszn')
UNION ALL
SELECT h.id, h.application_id, h.at, 'package',
	CASE WHEN a.package_full THEN 'full' ELSE 'partial' END, 0
	FROM application_history h JOIN applications a ON a.id = h.application_id
	WHERE h.from_status = 'draft' AND h.to_status IN ('at_otg', 'at_spszn')
UNION ALL
SELECT h.id, h.application_id, h.at, 'clerk', CAST(h.user_id AS TEXT), 0
	FROM application_history h
	WHERE h.from_status = 'draft' AND h.to_status IN ('at_otg', 'at_spszn')
UNION ALL
SELECT h.id, h.application_id, h.at, 'time', 'front', h.at - a.created_at
	FROM application_history h JOIN applications a ON a.id = h.application_id
	WHERE h.from_status = 'draft' AND h.to_status IN ('at_otg', 'at_spszn')
UNION ALL
SELECT h.id, h.application_id, h.at, 'sent', a.service_code, 0
	FROM application_history h JOIN applications a ON a.id = h.application_id
	WHERE h.to_status = 'at_spszn' AND h.from_status IS NOT 'at_spszn' AND
	    NOT EXISTS (SELECT 1 FROM application_history p
	                WHERE p.application_id = h.application_id AND
	                    p.id < h.id AND p.to_status = 'at_spszn')
UNION ALL
SELECT h.id, h.application_id, h.at, 'time', 'otg', h.at -
	(SELECT max(p.at) FROM application_history p
	 WHERE p.application_id = h.application_id AND p.id < h.id AND
	     p.to_status IN ('at_otg', 'returned_otg'))
	FROM application_history h
	WHERE h.to_status = 'at_spszn' AND
	    h.from_status IN ('at_otg', 'returned_otg')
UNION ALL
SELECT h.id, h.application_id, h.at, 'accepted', a.service_code, 0
	FROM application_history h JOIN applications a ON a.id = h.application_id
	WHERE h.to_status = 'checked' AND h.from_status IS NOT 'checked'
UNION ALL
SELECT h.id, h.application_id, h.at, 'time', 'spszn', h.at -
	(SELECT max(p.at) FROM application_history p
	 WHERE p.application_id = h.application_id AND p.id < h.id AND
	     p.to_status = 'at_spszn')
	FROM application_history h
	WHERE h.to_status = 'checked' AND h.from_status IS NOT 'checked'
UNION ALL
SELECT h.id, h.application_id, h.at, 'returned',
	CASE h.to_status WHEN 'returned_front' THEN 'otg' ELSE 'spszn' END, 0
	FROM application_history h
	WHERE h.to_status IN ('returned_front', 'returned_otg') AND
	    h.from_status IS NOT h.to_status
UNION ALL
SELECT h.id, h.application_id, h.at, 'reason',
	CASE h.to_status WHEN 'returned_front' THEN 'otg' ELSE 'spszn' END ||
	    ':' || substr(trim(coalesce(h.comment, '')), 1, 200), 0
	FROM application_history h
	WHERE h.to_status IN ('returned_front', 'returned_otg') AND
	    h.from_status IS NOT h.to_status
UNION ALL
SELECT h.id, h.application_id, h.at, 'time', 'decision', h.at -
	(SELECT max(p.at) FROM application_history p
	 WHERE p.application_id = h.application_id AND p.id < h.id AND
	     p.to_status = 'exported')
	FROM application_history h
	WHERE h.to_status = 'answered' AND h.from_status IS NOT 'answered'
UNION ALL
SELECT h.id, h.application_id, h.at, 'time', 'total', h.at - a.created_at
	FROM application_history h JOIN applications a ON a.id = h.application_id
	WHERE h.to_status = 'answered' AND h.from_status IS NOT 'answered';

-- Facts of one decision, and of telling its applicant.
CREATE VIEW report_decision_facts (application_id, at, measure, key,
    amount) AS
SELECT d.application_id, d.imported_at, 'decision',
	d.decision || ':' || a.service_code, coalesce(d.amount, 0)
	FROM decisions d JOIN applications a ON a.id = d.application_id;

CREATE VIEW report_notify_facts (application_id, at, measure, key,
    amount) AS
SELECT d.application_id, d.imported_at, 'notified', '', 0
	FROM decisions d JOIN applications a ON a.id = d.application_id
	WHERE a.notified_at IS NOT NULL
UNION ALL
SELECT d.application_id, d.imported_at, 'time', 'notify',
	a.notified_at - d.imported_at
	FROM decisions d JOIN applications a ON a.id = d.application_id
	WHERE a.notified_at IS NOT NULL;

-- One fact in, one row up at each of the application's five levels.
CREATE VIEW report_fact_in (application_id, at, measure, key, amount) AS
	SELECT NULL, NULL, NULL, NULL, NULL WHERE 0;

CREATE TRIGGER report_fact_in_add INSTEAD OF INSERT ON report_fact_in
BEGIN
	INSERT INTO report_facts (territory_id, month, measure, key, n, amount)
	SELECT CASE l.level WHEN 1 THEN a.front_office_id
	                    WHEN 2 THEN a.hromada_id
	                    WHEN 3 THEN a.spszn_id
	                    WHEN 4 THEN a.oblast_id ELSE 0 END,
	    CAST(strftime('%Y%m', NEW.at, 'unixepoch', 'localtime') AS INTEGER),
	    NEW.measure,
	    CASE WHEN NEW.measure = 'time' THEN NEW.key || ':' ||
	        CASE WHEN NEW.amount < 259200 THEN max(NEW.amount, 0) / 3600
	             ELSE NEW.amount / 86400 * 24 END
	    ELSE coalesce(NEW.key, '') END,
	    1, max(coalesce(NEW.amount, 0), 0)
	FROM applications a,
	    (SELECT 1 AS level UNION ALL SELECT 2 UNION ALL SELECT 3
	     UNION ALL SELECT 4 UNION ALL SELECT 5) l
	WHERE a.id = NEW.application_id AND
	    -- a stage whose start is not in the history has no time
	    NOT (NEW.measure = 'time' AND NEW.amount IS NULL)
	ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;

CREATE TRIGGER report_history_add AFTER INSERT ON application_history
WHEN NEW.from_status IS NOT NEW.to_status
BEGIN
	INSERT INTO report_fact_in
	SELECT application_id, at, measure, key, amount
	FROM report_history_facts WHERE history_id = NEW.id;
END;

CREATE TRIGGER report_activity_add AFTER INSERT ON application_history
BEGIN
	INSERT INTO territory_activity (territory_id, last_at)
	SELECT territory_id, NEW.at FROM users WHERE id = NEW.user_id
	ON CONFLICT DO UPDATE SET last_at = max(last_at, excluded.last_at);
END;

CREATE TRIGGER report_decision_add AFTER INSERT ON decisions
BEGIN
	INSERT INTO report_fact_in
	SELECT application_id, at, measure, key, amount
	FROM report_decision_facts WHERE application_id = NEW.application_id;
END;

CREATE TRIGGER report_notified_add AFTER UPDATE OF notified_at ON applications
WHEN OLD.notified_at IS NULL AND NEW.notified_at IS NOT NULL
BEGIN
	INSERT INTO report_fact_in
	SELECT application_id, at, measure, key, amount
	FROM report_notify_facts WHERE application_id = NEW.id;
END;

-- What is there already.
INSERT INTO report_fact_in SELECT application_id, at, measure, key, amount
	FROM report_history_facts;
INSERT INTO report_fact_in SELECT application_id, at, measure, key, amount
	FROM report_decision_facts;
INSERT INTO report_fact_in SELECT application_id, at, measure, key, amount
	FROM report_notify_facts;
INSERT INTO territory_activity (territory_id, last_at)
	SELECT u.territory_id, max(h.at) FROM application_history h
	JOIN users u ON u.id = h.user_id GROUP BY u.territory_id;
