-- 015_person_oblasts.sql — where a person may be looked up by name.
--
-- person.search by a name was national: any clerk could page through the
-- names and addresses of the whole country by typing a surname (issue 10).
-- A lookup by an identifier (РНОКПП, document number) stays national — a
-- person may apply in any front office; a lookup by name finds only the
-- persons of the user's oblast: those whose registration or actual address
-- is in it (internally displaced people live far from their registration),
-- and those on any application of it.
--
-- persons.reg_oblast_id and act_oblast_id are the oblasts their addresses
-- name ("…, Сумська обл."); db/persons.c works them out whenever a person
-- is written (folded, any case), and below for what is stored already.
-- person_oblasts holds one row per (oblast, person) with the person's
-- folded name, so a name prefix within an oblast is one index range; the
-- triggers keep it whoever writes (server, hromadactl demo, generators).
-- A person once on an application of an oblast stays findable there.

ALTER TABLE persons ADD COLUMN reg_oblast_id INTEGER REFERENCES territories(id);
ALTER TABLE persons ADD COLUMN act_oblast_id INTEGER REFERENCES territories(id);

UPDATE persons SET reg_oblast_id = (SELECT t.id FROM territories t
	WHERE t.kind = 'oblast' AND instr(t.name, ' ') > 1 AND
	instr(persons.reg_address, substr(t.name, 1, instr(t.name, ' ') - 1) ||
	' обл') > 0 ORDER BY t.id LIMIT 1)
WHERE reg_address IS NOT NULL;
UPDATE persons SET act_oblast_id = (SELECT t.id FROM territories t
	WHERE t.kind = 'oblast' AND instr(t.name, ' ') > 1 AND
	instr(persons.act_address, substr(t.name, 1, instr(t.name, ' ') - 1) ||
	' обл') > 0 ORDER BY t.id LIMIT 1)
WHERE act_address IS NOT NULL;

CREATE TABLE person_oblasts (
	oblast_id   INTEGER NOT NULL,
	search_name TEXT NOT NULL,        -- persons.search_name
	person_id   INTEGER NOT NULL REFERENCES persons(id),
	PRIMARY KEY (oblast_id, search_name, person_id)
) WITHOUT ROWID;
CREATE INDEX person_oblasts_person ON person_oblasts(person_id, oblast_id);

INSERT OR IGNORE INTO person_oblasts
	SELECT reg_oblast_id, search_name, id FROM persons
	WHERE reg_oblast_id IS NOT NULL;
INSERT OR IGNORE INTO person_oblasts
	SELECT act_oblast_id, search_name, id FROM persons
	WHERE act_oblast_id IS NOT NULL;
INSERT OR IGNORE INTO person_oblasts
	SELECT a.oblast_id, p.search_name, p.id FROM application_persons ap
	JOIN applications a ON a.id = ap.application_id
	JOIN persons p ON p.id = ap.person_id;

CREATE TRIGGER person_oblasts_new AFTER INSERT ON persons
BEGIN
	INSERT OR IGNORE INTO person_oblasts SELECT NEW.reg_oblast_id,
	    NEW.search_name, NEW.id WHERE NEW.reg_oblast_id IS NOT NULL;
	INSERT OR IGNORE INTO person_oblasts SELECT NEW.act_oblast_id,
	    NEW.search_name, NEW.id WHERE NEW.act_oblast_id IS NOT NULL;
END;

CREATE TRIGGER person_oblasts_moved
AFTER UPDATE OF reg_oblast_id, act_oblast_id, search_name ON persons
WHEN OLD.reg_oblast_id IS NOT NEW.reg_oblast_id OR
     OLD.act_oblast_id IS NOT NEW.act_oblast_id OR
     OLD.search_name IS NOT NEW.search_name
BEGIN
	DELETE FROM person_oblasts WHERE person_id = NEW.id;
	INSERT OR IGNORE INTO person_oblasts SELECT NEW.reg_oblast_id,
	    NEW.search_name, NEW.id WHERE NEW.reg_oblast_id IS NOT NULL;
	INSERT OR IGNORE INTO person_oblasts SELECT NEW.act_oblast_id,
	    NEW.search_name, NEW.id WHERE NEW.act_oblast_id IS NOT NULL;
	INSERT OR IGNORE INTO person_oblasts SELECT a.oblast_id,
	    NEW.search_name, NEW.id FROM application_persons ap
	    JOIN applications a ON a.id = ap.application_id
	    WHERE ap.person_id = NEW.id;
END;

CREATE TRIGGER person_oblasts_application AFTER INSERT ON application_persons
BEGIN
	INSERT OR IGNORE INTO person_oblasts SELECT a.oblast_id, p.search_name,
	    p.id FROM applications a, persons p
	WHERE a.id = NEW.application_id AND p.id = NEW.person_id;
END;
