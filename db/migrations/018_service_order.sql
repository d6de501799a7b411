-- 018_service_order.sql — services keep the order of the reference data.
--
-- services.csv lists the services grouped by decision system, the most
-- asked for first; the form and the journal filter offer them in that
-- order (reference.get), not by code.  `ordinal` is the row of
-- services.csv at the last import (hromadactl init / service import).
-- Until the next import, a database from before this keeps the services
-- grouped by system, by code within a group.
ALTER TABLE services ADD COLUMN ordinal INTEGER NOT NULL DEFAULT 0;
UPDATE services SET ordinal =
	CASE system WHEN 'asopd' THEN 1000 WHEN 'subsidy' THEN 2000
	            WHEN 'edarp' THEN 3000 ELSE 4000 END +
	(SELECT count(*) FROM services AS o
	 WHERE o.system = services.system AND o.code < services.code);
