/*
 * migrations.h — the schema migrations embedded in the binary.
 *
 * db/migrations.c is generated at build time by db/embed-sql.sh from
 * db/migrations/NNN_name.sql; db_open (db/db.c) applies the entries whose
 * number is above the highest recorded in schema_migrations.  Internal to
 * db/.
 */
#ifndef HR_DB_MIGRATIONS_H
#define HR_DB_MIGRATIONS_H

struct db_migration {
	int         number;   /* NNN of the file name, strictly increasing */
	const char *name;     /* file name without .sql */
	const char *sql;      /* the whole file */
};

extern const struct db_migration db_migrations[];
extern const int db_migrations_count;

#endif
