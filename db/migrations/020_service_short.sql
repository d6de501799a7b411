-- 020_service_short.sql — a short name for each service.
--
-- The journal at 80 columns gives a service about 16 characters; the full
-- names («Допомога на дітей над якими встановлено опіку чи піклування»)
-- all begin alike and cut to the same «Допомога на…».  services.csv may
-- carry a fifth column, short_uk, that the journal shows instead; empty
-- (a file of four columns, or a database not re-imported since) means the
-- client cuts the full name.
ALTER TABLE services ADD COLUMN short_name TEXT NOT NULL DEFAULT '';
