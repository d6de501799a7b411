-- 024_unnotified_scopes.sql — the back office's and the oblast's count of
-- decisions whose applicant was not told, from an index.
--
-- Every journal opened with its tabs' counts also counts «рішення є,
-- заявника не повідомлено» for the whole scope (journal.list `unnotified`).
-- 012_paper gave that count partial indexes for the front office and the
-- hromada only; a back office (УСЗН) or an oblast counted by walking every
-- answered application of its scope in the table: at national size
-- (1,000,000 applications, 44,000 answered in one УСЗН's scope) that was
-- 11 ms of CPU per journal opened -- the costliest request of the load
-- test.  These two partial indexes hold only the answered applications
-- nobody was told of, so the count reads index pages alone.  The country's
-- count (ministry) walks the oblast one whole.
CREATE INDEX applications_spszn_unnotified ON applications(spszn_id)
	WHERE status = 'answered' AND notified_at IS NULL;
CREATE INDEX applications_oblast_unnotified ON applications(oblast_id)
	WHERE status = 'answered' AND notified_at IS NULL;
