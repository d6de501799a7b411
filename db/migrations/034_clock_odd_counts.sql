-- 034_clock_odd_counts.sql — the applications whose clock is not what
-- their status implies, counted per scope: with status_counts they give
-- how many clocks a scope has running, without reading them.
--
-- Every journal reply with counts carries the scope's «late» cases (the
-- cabinet's counter, db_journal_late): counted on the scope's clock index
-- (022), one entry per late case.  At national size a scope whose clocks
-- ran out has thousands (9,300 of a hromada's 9,350 running clocks at
-- 1M): 4.7 M instructions of a counts reply's 5.6 M, in every first page
-- of every filter.  When the late ones are many, the journal counts the
-- ones NOT late (due from today on) and takes them from the scope's
-- running clocks -- which are its applications not answered (each stage
-- has its deadline: services.days_*, 022; answered empties the clock),
-- status_counts (008, 031), but for the ones counted here: an
-- application not answered without a clock (written by a tool, or before
-- its service had a deadline), or an answered one with a clock.  Normal
-- writes never are either: the triggers' WHEN is false for them.
--
-- Repeats on purpose, as 008 says: each trigger spells out the five
-- levels; a migration's statements never change once it has landed.
CREATE TABLE clock_odd_counts (
	scope        TEXT NOT NULL,
	territory_id INTEGER NOT NULL,
	status       TEXT NOT NULL,
	n            INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (scope, territory_id, status)
) WITHOUT ROWID;

-- Filled without reading the applications' rows (a scan of the table
-- took minutes on a cold 5 GB file): the running clocks per scope and
-- status from the clock indexes (022; an oblast's from its back offices'),
-- against status_counts.
CREATE TEMP TABLE clock_fill (
	scope  TEXT NOT NULL,
	t      INTEGER NOT NULL,
	status TEXT NOT NULL,
	n      INTEGER NOT NULL,
	PRIMARY KEY (scope, t, status)   -- the join below: without it, hours
) WITHOUT ROWID;
INSERT INTO temp.clock_fill
	SELECT 'front_office', front_office_id, status, count(*)
	FROM applications INDEXED BY applications_front_clock
	WHERE stage_due IS NOT NULL GROUP BY 2, 3
	UNION ALL
	SELECT 'hromada', hromada_id, status, count(*)
	FROM applications INDEXED BY applications_hromada_clock
	WHERE stage_due IS NOT NULL GROUP BY 2, 3
	UNION ALL
	SELECT 'spszn', spszn_id, status, count(*)
	FROM applications INDEXED BY applications_spszn_clock
	WHERE stage_due IS NOT NULL GROUP BY 2, 3;
INSERT INTO temp.clock_fill
	SELECT 'oblast', t.parent_id, c.status, sum(c.n)
	FROM temp.clock_fill c JOIN territories t ON t.id = c.t
	WHERE c.scope = 'spszn' GROUP BY 2, 3;
INSERT INTO temp.clock_fill
	SELECT 'all', 0, status, sum(n) FROM temp.clock_fill
	WHERE scope = 'spszn' GROUP BY 3;
INSERT INTO clock_odd_counts
	SELECT s.scope, s.territory_id, s.status, s.n - coalesce(c.n, 0)
	FROM (SELECT scope, territory_id, status, sum(n) AS n
	    FROM status_counts WHERE status <> 'answered' GROUP BY 1, 2, 3) s
	LEFT JOIN temp.clock_fill c ON c.scope = s.scope AND
	    c.t = s.territory_id AND c.status = s.status
	WHERE s.n - coalesce(c.n, 0) > 0
	UNION ALL
	SELECT scope, t, status, n FROM temp.clock_fill
	WHERE status = 'answered' AND n > 0;
DROP TABLE temp.clock_fill;

CREATE TRIGGER clock_odd_counts_insert AFTER INSERT ON applications
WHEN (NEW.status <> 'answered') = (NEW.stage_due IS NULL)
BEGIN
	INSERT INTO clock_odd_counts (scope, territory_id, status, n)
	SELECT l.scope, CASE l.k WHEN 1 THEN NEW.front_office_id
	    WHEN 2 THEN NEW.hromada_id WHEN 3 THEN NEW.spszn_id
	    WHEN 4 THEN NEW.oblast_id ELSE 0 END, NEW.status, 1
	FROM (SELECT 1 AS k, 'front_office' AS scope UNION ALL
	    SELECT 2, 'hromada' UNION ALL SELECT 3, 'spszn' UNION ALL
	    SELECT 4, 'oblast' UNION ALL SELECT 5, 'all') l
	WHERE true
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER clock_odd_counts_delete AFTER DELETE ON applications
WHEN (OLD.status <> 'answered') = (OLD.stage_due IS NULL)
BEGIN
	UPDATE clock_odd_counts SET n = n - 1 WHERE status = OLD.status AND
	    ((scope = 'front_office' AND territory_id = OLD.front_office_id) OR
	    (scope = 'hromada' AND territory_id = OLD.hromada_id) OR
	    (scope = 'spszn' AND territory_id = OLD.spszn_id) OR
	    (scope = 'oblast' AND territory_id = OLD.oblast_id) OR
	    (scope = 'all' AND territory_id = 0));
END;

CREATE TRIGGER clock_odd_counts_update
AFTER UPDATE OF status, stage_due, front_office_id, hromada_id, spszn_id,
    oblast_id ON applications
WHEN (OLD.status <> 'answered') = (OLD.stage_due IS NULL) OR
     (NEW.status <> 'answered') = (NEW.stage_due IS NULL)
BEGIN
	UPDATE clock_odd_counts SET n = n - 1 WHERE
	    (OLD.status <> 'answered') = (OLD.stage_due IS NULL) AND
	    status = OLD.status AND
	    ((scope = 'front_office' AND territory_id = OLD.front_office_id) OR
	    (scope = 'hromada' AND territory_id = OLD.hromada_id) OR
	    (scope = 'spszn' AND territory_id = OLD.spszn_id) OR
	    (scope = 'oblast' AND territory_id = OLD.oblast_id) OR
	    (scope = 'all' AND territory_id = 0));
	INSERT INTO clock_odd_counts (scope, territory_id, status, n)
	SELECT l.scope, CASE l.k WHEN 1 THEN NEW.front_office_id
	    WHEN 2 THEN NEW.hromada_id WHEN 3 THEN NEW.spszn_id
	    WHEN 4 THEN NEW.oblast_id ELSE 0 END, NEW.status, 1
	FROM (SELECT 1 AS k, 'front_office' AS scope UNION ALL
	    SELECT 2, 'hromada' UNION ALL SELECT 3, 'spszn' UNION ALL
	    SELECT 4, 'oblast' UNION ALL SELECT 5, 'all') l
	WHERE (NEW.status <> 'answered') = (NEW.stage_due IS NULL)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
