-- 022_deadlines.sql — a deadline on every case (issue 17, DOMAIN.md
-- "Deadlines").
--
-- A case passes three stages, each with a deadline in working days set
-- per service: front (the front office forms it and sends it to the
-- hromada: draft, returned_front), otg (the hromada checks it and sends it
-- to the back office: at_otg, returned_otg) and spszn (the back office
-- decides: at_spszn, checked, exported).  An answered case has no clock.
-- The defaults — 1, 2 and 10 working days — are the next working day a
-- front office has to hand documents over, two days of checking at the
-- hromada and the ten days most assistances give the decision; services.csv
-- may set each service's own (hromadactl service import).
ALTER TABLE services ADD COLUMN days_front INTEGER NOT NULL DEFAULT 1;
ALTER TABLE services ADD COLUMN days_otg INTEGER NOT NULL DEFAULT 2;
ALTER TABLE services ADD COLUMN days_spszn INTEGER NOT NULL DEFAULT 10;

-- The working-day calendar (hromadactl calendar): Monday to Friday work
-- unless a row says 'holiday'; Saturday and Sunday do not unless a row
-- says 'workday' (a working day transferred to a weekend).  day is
-- hr_date_to_days (days since 31.12.1899); db/calendar.c refuses a row
-- that would change nothing.
CREATE TABLE calendar_days (
	day  INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
	note TEXT NOT NULL DEFAULT ''
);

-- Every stage a case has been in, with its clock: when it began, the
-- deadline in force then (days, due_day: the last working day within it),
-- and when the case left the stage (stopped_at, stop_day; NULL while it
-- runs) with the working days it was late by then (0: on time).  A
-- return stops the upper stage's clock and starts the lower one's; a case
-- sent up again starts the upper stage's clock afresh.  office_id is who
-- answers for the stage: the front office, the hromada, the back office.
CREATE TABLE application_clocks (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications(id),
	stage          TEXT NOT NULL CHECK (stage IN ('front', 'otg', 'spszn')),
	office_id      INTEGER NOT NULL REFERENCES territories(id),
	started_at     INTEGER NOT NULL,
	start_day      INTEGER NOT NULL,
	days           INTEGER NOT NULL,
	due_day        INTEGER NOT NULL,
	stopped_at     INTEGER,
	stop_day       INTEGER,
	late_days      INTEGER
);
CREATE INDEX application_clocks_app ON application_clocks(application_id, id);
CREATE INDEX application_clocks_stopped ON application_clocks(stopped_at)
	WHERE stopped_at IS NOT NULL;

-- The running clock, copied onto the case so that the journal filters and
-- sorts by stored dates (no calendar arithmetic per row): stage_due is the
-- last working day, stage_warn the day from which a quarter or less is
-- left (amber), stage_days the deadline; all NULL once answered.
ALTER TABLE applications ADD COLUMN stage_start INTEGER;
ALTER TABLE applications ADD COLUMN stage_days INTEGER;
ALTER TABLE applications ADD COLUMN stage_due INTEGER;
ALTER TABLE applications ADD COLUMN stage_warn INTEGER;

-- Clocks for the cases already open, from the time their current stage
-- began in the history.  The calendar is empty here, so working days are
-- Monday to Friday: the n-th weekday after a day is found by arithmetic
-- (a start on a weekend counts from the Friday before it).
WITH stage_of (status, stage) AS (VALUES ('draft', 'front'),
	('returned_front', 'front'), ('at_otg', 'otg'), ('returned_otg', 'otg'),
	('at_spszn', 'spszn'), ('checked', 'spszn'), ('exported', 'spszn')),
cur AS (
	SELECT a.id, so.stage, a.created_at,
	    CASE so.stage WHEN 'front' THEN a.front_office_id
	        WHEN 'otg' THEN a.hromada_id ELSE a.spszn_id END AS office,
	    CASE so.stage WHEN 'front' THEN s.days_front
	        WHEN 'otg' THEN s.days_otg ELSE s.days_spszn END AS n
	FROM applications a JOIN stage_of so ON so.status = a.status
	JOIN services s ON s.code = a.service_code),
began AS (
	SELECT c.*, coalesce((SELECT max(h.at) FROM application_history h
	    JOIN stage_of t ON t.status = h.to_status
	    LEFT JOIN stage_of f ON f.status = h.from_status
	    WHERE h.application_id = c.id AND t.stage = c.stage AND
	        f.stage IS NOT c.stage), c.created_at) AS at
	FROM cur c),
daynum AS (
	SELECT b.*, CAST(round(julianday(b.at, 'unixepoch', 'localtime',
	    'start of day') - julianday('1899-12-31')) AS INTEGER) AS day
	FROM began b),
fri AS (
	SELECT d.*, d.day - max((d.day + 6) % 7 - 4, 0) AS s2,
	    min((d.day + 6) % 7, 4) AS w2
	FROM daynum d)
INSERT INTO application_clocks (application_id, stage, office_id,
    started_at, start_day, days, due_day)
SELECT id, stage, office, at, day, n,
    s2 + 7 * (n / 5) + n % 5 + CASE WHEN w2 + n % 5 > 4 THEN 2 ELSE 0 END
FROM fri;

UPDATE applications SET stage_start = c.start_day, stage_days = c.days,
	stage_due = c.due_day,
	stage_warn = c.start_day - max((c.start_day + 6) % 7 - 4, 0) +
	    7 * ((c.days - c.days / 4) / 5) + (c.days - c.days / 4) % 5 +
	    CASE WHEN min((c.start_day + 6) % 7, 4) +
	        (c.days - c.days / 4) % 5 > 4 THEN 2 ELSE 0 END
FROM application_clocks c WHERE c.application_id = applications.id;

-- The journal's «прострочені» / «спливає строк» and its order by the clock:
-- one range of (scope, due date) per page, the status and the amber day
-- tested on the index entry.  Answered cases (no clock) are not in them.
CREATE INDEX applications_front_clock
	ON applications(front_office_id, stage_due, id, status, stage_warn)
	WHERE stage_due IS NOT NULL;
CREATE INDEX applications_hromada_clock
	ON applications(hromada_id, stage_due, id, status, stage_warn)
	WHERE stage_due IS NOT NULL;
CREATE INDEX applications_spszn_clock
	ON applications(spszn_id, stage_due, id, status, stage_warn)
	WHERE stage_due IS NOT NULL;
