-- 023_deadline_report.sql — deadline compliance per stage and office
-- (report.get `deadlines`, db/deadline_report.c).
--
-- The report counts the clocks an office answers for: those stopped in the
-- period (on time or late) and those still running (late or not).  With
-- the office first, each office of the territory's subtree is one range
-- of this index: its stopped clocks by time, its running ones (NULL sorts
-- first) before them.
CREATE INDEX application_clocks_office
	ON application_clocks(office_id, stopped_at, late_days, stage, due_day);
