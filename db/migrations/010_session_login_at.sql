-- 010_session_login_at.sql — when the password was last typed, on tickets.
--
-- A resume issues a fresh ticket, so without this a session could resume
-- for ever on a PC left logged in.  A ticket now carries the time of the
-- password login its session started with; the server refuses to resume
-- a session older than session_max_age (hromadad.conf(5)) and ends a live
-- one at that age.  Tickets issued before this migration count from their
-- own issue.
ALTER TABLE session_tickets ADD COLUMN login_at INTEGER;
UPDATE session_tickets SET login_at = created_at;
