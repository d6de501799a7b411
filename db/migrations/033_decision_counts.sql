-- 033_decision_counts.sql — the journal's filter by decision: the decided
-- applications of a scope by kind, and their counts, without a walk of
-- the scope.
--
-- journal.list `decision` (assigned, refused, registered,
-- registration_refused or none) tested each application of the scope
-- against `decisions` along the scope's walk: a primary-key probe per
-- application, for the page and again for its counts.  At national size
-- (1,000,000 applications, 200 clerks; tests/load) that was 12 ms of
-- SQLite a request (20 ms p99), 40 % of the readers' CPU, and 34-60 ms p99
-- at the server -- while a kind is at most the decided share of a scope,
-- and a kind the scope has none of still walked all of it.
--
-- A decision always comes with the answered status (the only way to
-- answered is importing it: proto/workflow.c, db/dat_import.c) and
-- answered is final.  So:
--  - decisions carries a copy of its application's hromada, back office
--    and oblast (filled by db_decision_add's INSERT itself; a trigger
--    fills a row inserted without them and follows a territory move), and
--    an index per scope of (territory, kind, application): a kind's page
--    walks only that kind's decisions of the scope, newest first, and
--    joins their applications (a front office walks its hromada's,
--    testing the office on the application: a hromada has a ЦНАП and a
--    few starosta offices, not worth a fifth index on every import);
--  - decision_counts keeps, per scope, territory, service, package and
--    kind, how many decisions there are, as status_counts (008, 031)
--    keeps the statuses: a kind's counts are its rows (all of them
--    answered), «none»'s the status counts less the decided ones.  Kept by
--    the triggers below, and held like the reports' facts of a decision
--    (029): while a batch holds the summaries for an answer file
--    (summary_hold.file_id), that file's decisions are left to the
--    batch's release (db/batch_summaries.c), which counts them grouped.
--    A change of what a decision is counted by (its application's
--    service, package or territories; a decision changed or deleted,
--    which nothing does today) moves it out of the old row into the new
--    one -- unless its file is held, then the release counts it as it is.
--    An application with a decision is never deleted (the foreign key).
--
-- Repeats on purpose, as 008 says: SQLite triggers cannot call a shared
-- routine, so the five levels are spelled out in each (as a row each of
-- one subquery, rather than five statements); and a migration's
-- statements never change once it has landed.
ALTER TABLE decisions ADD COLUMN hromada_id INTEGER;
ALTER TABLE decisions ADD COLUMN spszn_id INTEGER;
ALTER TABLE decisions ADD COLUMN oblast_id INTEGER;
UPDATE decisions SET (hromada_id, spszn_id, oblast_id) =
	(SELECT a.hromada_id, a.spszn_id, a.oblast_id FROM applications a
	WHERE a.id = decisions.application_id);
CREATE INDEX decisions_hromada ON decisions(hromada_id, decision,
	application_id);
CREATE INDEX decisions_spszn ON decisions(spszn_id, decision, application_id);
CREATE INDEX decisions_oblast ON decisions(oblast_id, decision,
	application_id);
CREATE INDEX decisions_kind ON decisions(decision, application_id);

CREATE TABLE decision_counts (
	scope        TEXT NOT NULL,
	territory_id INTEGER NOT NULL,
	service      TEXT NOT NULL,
	package_full INTEGER NOT NULL,
	decision     TEXT NOT NULL,
	n            INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (scope, territory_id, service, package_full, decision)
) WITHOUT ROWID;

CREATE TEMP TABLE decision_counts_fill AS
	SELECT a.front_office_id AS fo, a.hromada_id AS hr, a.spszn_id AS sp,
	    a.oblast_id AS ob, a.service_code AS service,
	    a.package_full AS pkg, d.decision AS decision, count(*) AS n
	FROM decisions d JOIN applications a ON a.id = d.application_id
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO decision_counts
	SELECT 'front_office', fo, service, pkg, decision, sum(n)
	FROM temp.decision_counts_fill GROUP BY 2, 3, 4, 5;
INSERT INTO decision_counts
	SELECT 'hromada', hr, service, pkg, decision, sum(n)
	FROM temp.decision_counts_fill GROUP BY 2, 3, 4, 5;
INSERT INTO decision_counts
	SELECT 'spszn', sp, service, pkg, decision, sum(n)
	FROM temp.decision_counts_fill GROUP BY 2, 3, 4, 5;
INSERT INTO decision_counts
	SELECT 'oblast', ob, service, pkg, decision, sum(n)
	FROM temp.decision_counts_fill GROUP BY 2, 3, 4, 5;
INSERT INTO decision_counts
	SELECT 'all', 0, service, pkg, decision, sum(n)
	FROM temp.decision_counts_fill GROUP BY 3, 4, 5;
DROP TABLE temp.decision_counts_fill;

-- A decision inserted without its territories (db_decision_add gives
-- them; a tool's plain INSERT may not).
CREATE TRIGGER decisions_territory_fill AFTER INSERT ON decisions
WHEN NEW.hromada_id IS NULL OR NEW.spszn_id IS NULL OR NEW.oblast_id IS NULL
BEGIN
	UPDATE decisions SET (hromada_id, spszn_id, oblast_id) =
	    (SELECT a.hromada_id, a.spszn_id, a.oblast_id FROM applications a
	    WHERE a.id = NEW.application_id)
	    WHERE application_id = NEW.application_id;
END;

-- The copies follow their application's territories.
CREATE TRIGGER decisions_territory
AFTER UPDATE OF hromada_id, spszn_id, oblast_id ON applications
WHEN OLD.hromada_id IS NOT NEW.hromada_id OR
     OLD.spszn_id IS NOT NEW.spszn_id OR OLD.oblast_id IS NOT NEW.oblast_id
BEGIN
	UPDATE decisions SET hromada_id = NEW.hromada_id,
	    spszn_id = NEW.spszn_id, oblast_id = NEW.oblast_id
	    WHERE application_id = NEW.id;
END;

CREATE TRIGGER decision_counts_insert AFTER INSERT ON decisions
WHEN NOT EXISTS (SELECT 1 FROM summary_hold WHERE file_id = NEW.file_id)
BEGIN
	INSERT INTO decision_counts (scope, territory_id, service,
	    package_full, decision, n)
	SELECT l.scope, CASE l.k WHEN 1 THEN a.front_office_id
	    WHEN 2 THEN a.hromada_id WHEN 3 THEN a.spszn_id
	    WHEN 4 THEN a.oblast_id ELSE 0 END, a.service_code,
	    a.package_full, NEW.decision, 1
	FROM applications a, (SELECT 1 AS k, 'front_office' AS scope
	    UNION ALL SELECT 2, 'hromada' UNION ALL SELECT 3, 'spszn'
	    UNION ALL SELECT 4, 'oblast' UNION ALL SELECT 5, 'all') l
	WHERE a.id = NEW.application_id
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER decision_counts_delete AFTER DELETE ON decisions
WHEN NOT EXISTS (SELECT 1 FROM summary_hold WHERE file_id = OLD.file_id)
BEGIN
	UPDATE decision_counts SET n = n - 1 FROM (SELECT l.scope AS scope,
	    CASE l.k WHEN 1 THEN a.front_office_id WHEN 2 THEN a.hromada_id
	    WHEN 3 THEN a.spszn_id WHEN 4 THEN a.oblast_id ELSE 0 END AS t,
	    a.service_code AS sv, a.package_full AS pk
	    FROM applications a, (SELECT 1 AS k, 'front_office' AS scope
	    UNION ALL SELECT 2, 'hromada' UNION ALL SELECT 3, 'spszn'
	    UNION ALL SELECT 4, 'oblast' UNION ALL SELECT 5, 'all') l
	    WHERE a.id = OLD.application_id) m
	WHERE decision_counts.scope = m.scope AND
	    decision_counts.territory_id = m.t AND
	    decision_counts.service = m.sv AND
	    decision_counts.package_full = m.pk AND
	    decision_counts.decision = OLD.decision;
END;

CREATE TRIGGER decision_counts_change
AFTER UPDATE OF application_id, decision ON decisions
WHEN OLD.application_id IS NOT NEW.application_id OR
     OLD.decision IS NOT NEW.decision
BEGIN
	UPDATE decision_counts SET n = n - 1 FROM (SELECT l.scope AS scope,
	    CASE l.k WHEN 1 THEN a.front_office_id WHEN 2 THEN a.hromada_id
	    WHEN 3 THEN a.spszn_id WHEN 4 THEN a.oblast_id ELSE 0 END AS t,
	    a.service_code AS sv, a.package_full AS pk
	    FROM applications a, (SELECT 1 AS k, 'front_office' AS scope
	    UNION ALL SELECT 2, 'hromada' UNION ALL SELECT 3, 'spszn'
	    UNION ALL SELECT 4, 'oblast' UNION ALL SELECT 5, 'all') l
	    WHERE a.id = OLD.application_id AND NOT EXISTS (SELECT 1 FROM
	    summary_hold WHERE file_id = OLD.file_id)) m
	WHERE decision_counts.scope = m.scope AND
	    decision_counts.territory_id = m.t AND
	    decision_counts.service = m.sv AND
	    decision_counts.package_full = m.pk AND
	    decision_counts.decision = OLD.decision;
	INSERT INTO decision_counts (scope, territory_id, service,
	    package_full, decision, n)
	SELECT l.scope, CASE l.k WHEN 1 THEN a.front_office_id
	    WHEN 2 THEN a.hromada_id WHEN 3 THEN a.spszn_id
	    WHEN 4 THEN a.oblast_id ELSE 0 END, a.service_code,
	    a.package_full, NEW.decision, 1
	FROM applications a, (SELECT 1 AS k, 'front_office' AS scope
	    UNION ALL SELECT 2, 'hromada' UNION ALL SELECT 3, 'spszn'
	    UNION ALL SELECT 4, 'oblast' UNION ALL SELECT 5, 'all') l
	WHERE a.id = NEW.application_id AND NOT EXISTS (SELECT 1 FROM
	    summary_hold WHERE file_id = NEW.file_id)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- A decided application whose service, package or territories change:
-- out of the old rows, into the new (a held decision is counted by the
-- release as its application is then).
CREATE TRIGGER decision_counts_move
AFTER UPDATE OF service_code, package_full, front_office_id, hromada_id,
    spszn_id, oblast_id ON applications
WHEN (OLD.service_code IS NOT NEW.service_code OR
     OLD.package_full IS NOT NEW.package_full OR
     OLD.front_office_id IS NOT NEW.front_office_id OR
     OLD.hromada_id IS NOT NEW.hromada_id OR
     OLD.spszn_id IS NOT NEW.spszn_id OR OLD.oblast_id IS NOT NEW.oblast_id)
     AND EXISTS (SELECT 1 FROM decisions d WHERE d.application_id = NEW.id
     AND NOT EXISTS (SELECT 1 FROM summary_hold s WHERE
     s.file_id = d.file_id))
BEGIN
	UPDATE decision_counts SET n = n - 1 FROM (SELECT l.scope AS scope,
	    CASE l.k WHEN 1 THEN OLD.front_office_id WHEN 2 THEN OLD.hromada_id
	    WHEN 3 THEN OLD.spszn_id WHEN 4 THEN OLD.oblast_id ELSE 0 END AS t,
	    d.decision AS decision
	    FROM decisions d, (SELECT 1 AS k, 'front_office' AS scope
	    UNION ALL SELECT 2, 'hromada' UNION ALL SELECT 3, 'spszn'
	    UNION ALL SELECT 4, 'oblast' UNION ALL SELECT 5, 'all') l
	    WHERE d.application_id = OLD.id) m
	WHERE decision_counts.scope = m.scope AND
	    decision_counts.territory_id = m.t AND
	    decision_counts.service = OLD.service_code AND
	    decision_counts.package_full = OLD.package_full AND
	    decision_counts.decision = m.decision;
	INSERT INTO decision_counts (scope, territory_id, service,
	    package_full, decision, n)
	SELECT l.scope, CASE l.k WHEN 1 THEN NEW.front_office_id
	    WHEN 2 THEN NEW.hromada_id WHEN 3 THEN NEW.spszn_id
	    WHEN 4 THEN NEW.oblast_id ELSE 0 END, NEW.service_code,
	    NEW.package_full, d.decision, 1
	FROM decisions d, (SELECT 1 AS k, 'front_office' AS scope
	    UNION ALL SELECT 2, 'hromada' UNION ALL SELECT 3, 'spszn'
	    UNION ALL SELECT 4, 'oblast' UNION ALL SELECT 5, 'all') l
	WHERE d.application_id = NEW.id
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
