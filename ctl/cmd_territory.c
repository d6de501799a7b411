/*
 * cmd_territory.c — hromadactl territory import|list|require-terminal|
 * contacts.
 *
 * `import` reads the КАТОТТГ classifier as CSV (code, parent code, kind,
 * name).  The tree comes from the explicit parent links, never from cutting
 * codes (DOMAIN.md).  The whole file is checked before anything is written
 * and every bad row is reported with its line number; then the rows go in,
 * parents before children, in one transaction, so an import either
 * happens completely or not at all.  Running it again with the same file
 * changes nothing (rows are matched by code).
 */
#include "ctl/ctl.h"
#include "db/contacts.h"
#include "db/csv.h"
#include "db/terminals.h"
#include "db/territory.h"
#include "proto/buf.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "proto/schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TI_MAX_ERRORS 20     /* reported before giving up on a file */
#define TI_MAX_DEPTH  16

/* Kind column: our kind names, or КАТОТТГ category letters. */
static const struct {
	const char *word;
	int         kind;
} ti_kinds[] = {
	{ "oblast", HR_TERR_OBLAST },   { "O", HR_TERR_OBLAST },
	{ "K", HR_TERR_OBLAST },        /* Kyiv, Sevastopol */
	{ "spszn", HR_TERR_SPSZN },     { "P", HR_TERR_SPSZN },   /* raion */
	{ "hromada", HR_TERR_HROMADA }, { "H", HR_TERR_HROMADA },
	{ "cnap", HR_TERR_CNAP },       { "starosta", HR_TERR_STAROSTA },
	{ "settlement", HR_TERR_SETTLEMENT },
	{ "M", HR_TERR_SETTLEMENT },    { "T", HR_TERR_SETTLEMENT },
	{ "C", HR_TERR_SETTLEMENT },    { "X", HR_TERR_SETTLEMENT },
	{ "B", HR_TERR_SETTLEMENT },    /* city district */
};

struct ti_row {
	int     line;
	char   *code, *parent, *name;   /* parent "" for the root */
	int     kind;
	int     depth;                  /* -1 unknown, -2 being computed */
	int64_t id;
};

struct ti_file {
	const char    *path;
	struct ti_row *rows;
	size_t         n, cap;
	struct ti_row **by_code;        /* sorted, for parent lookups */
	int            errors;
};

/* Report one bad row (on stderr, like every message of a failure). */
static void ti_bad(struct ti_file *tf, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
ti_bad(struct ti_file *tf, int line, const char *fmt, ...)
{
	va_list ap;

	if (++tf->errors > TI_MAX_ERRORS)
		return;
	fprintf(stderr, "%s:%d: ", tf->path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
ti_kind(const char *word)
{
	for (size_t i = 0; i < sizeof ti_kinds / sizeof ti_kinds[0]; i++)
		if (strcmp(word, ti_kinds[i].word) == 0)
			return ti_kinds[i].kind;
	return -1;
}

/* Check one split line and keep it. */
static int
ti_take(struct ti_file *tf, int line, char **f, int nf)
{
	struct ti_row *r, *nr;

	if (nf != 4) {
		ti_bad(tf, line, "%s", _("expected 4 fields: code, parent code, "
		    "kind, name"));
		return 0;
	}
	if (hr_katottg_check(f[0], strlen(f[0]), NULL) < 0)
		ti_bad(tf, line, _("code \"%s\" is not UA and 17 digits"), f[0]);
	else if (f[1][0] != '\0' && hr_katottg_check(f[1], strlen(f[1]),
	    NULL) < 0)
		ti_bad(tf, line, _("parent code \"%s\" is not UA and 17 "
		    "digits"), f[1]);
	else if (ti_kind(f[2]) < 0)
		ti_bad(tf, line, _("kind \"%s\" is not oblast, spszn, hromada, "
		    "cnap, starosta, settlement or a KATOTTG category (O K P H "
		    "M T C X B)"), f[2]);
	else if (f[3][0] == '\0' || !hr_utf8_valid(f[3], strlen(f[3])))
		ti_bad(tf, line, "%s", _("name is empty or not UTF-8"));
	else
		goto keep;
	return 0;
keep:
	if ((nr = hr_grow(tf->rows, &tf->cap, tf->n, sizeof *nr, 256)) == NULL)
		return -1;
	tf->rows = nr;
	r = &tf->rows[tf->n];
	memset(r, 0, sizeof *r);
	r->line = line;
	r->kind = ti_kind(f[2]);
	r->depth = -1;
	r->code = strdup(f[0]);
	r->parent = strdup(f[1]);
	r->name = strdup(f[3]);
	tf->n++;
	return r->code && r->parent && r->name ? 0 : -1;
}

static int
ti_read(struct ti_file *tf, struct hr_error *err)
{
	struct db_csv c;
	int rc;

	if (db_csv_open(&c, tf->path, 5, err) < 0)
		return -1;
	while ((rc = db_csv_read(&c, err)) == 1) {
		if (c.line[strspn(c.line, " \t\r")] == '\0' || c.line[0] == '#')
			continue;
		if (db_csv_split(&c, NULL) < 0) {
			ti_bad(tf, c.lineno, "%s", _("more than 4 fields or an "
			    "unterminated quote"));
			continue;
		}
		/* A header line, as spreadsheets write one. */
		if (c.lineno == 1 && strcmp(c.field[0], "code") == 0)
			continue;
		if ((rc = ti_take(tf, c.lineno, c.field, c.nfields)) < 0) {
			hr_error_set(err, HR_E_INTERNAL, "out of memory");
			break;
		}
	}
	db_csv_close(&c);
	return rc;
}

static int
ti_cmp(const void *a, const void *b)
{
	return strcmp((*(struct ti_row *const *)a)->code,
	    (*(struct ti_row *const *)b)->code);
}

static struct ti_row *
ti_find(const struct ti_file *tf, const char *code)
{
	struct ti_row key = { .code = (char *)code }, *kp = &key, **hit;

	hit = bsearch(&kp, tf->by_code, tf->n, sizeof *tf->by_code, ti_cmp);
	return hit ? *hit : NULL;
}

/* Index by code; a code twice in the file is an error. */
static int
ti_index(struct ti_file *tf)
{
	if ((tf->by_code = malloc((tf->n + 1) * sizeof *tf->by_code)) == NULL)
		return -1;
	for (size_t i = 0; i < tf->n; i++)
		tf->by_code[i] = &tf->rows[i];
	qsort(tf->by_code, tf->n, sizeof *tf->by_code, ti_cmp);
	for (size_t i = 1; i < tf->n; i++)
		if (strcmp(tf->by_code[i]->code, tf->by_code[i - 1]->code) == 0)
			ti_bad(tf, tf->by_code[i]->line, _("code %s appears "
			    "twice in the file"), tf->by_code[i]->code);
	return 0;
}

/* Depth within the file (parents outside it count as depth 0). */
static int
ti_depth(struct ti_file *tf, struct ti_row *r)
{
	struct ti_row *p;
	int d;

	if (r->depth >= 0)
		return r->depth;
	if (r->depth == -2)
		return -1;                      /* a cycle */
	r->depth = -2;
	p = r->parent[0] ? ti_find(tf, r->parent) : NULL;
	d = p == NULL ? 0 : ti_depth(tf, p);
	if (d < 0 || d >= TI_MAX_DEPTH)
		return -1;
	if (p != NULL && r->kind <= p->kind) {
		ti_bad(tf, r->line, _("its parent %s is of the same or a lower "
		    "kind (oblast > spszn > hromada > cnap > starosta > "
		    "settlement)"), r->parent);
		r->depth = 0;
		return 0;
	}
	return r->depth = p == NULL ? 0 : d + 1;
}

static int
ti_by_depth(const void *a, const void *b)
{
	const struct ti_row *x = a, *y = b;

	return x->depth != y->depth ? x->depth - y->depth : x->line - y->line;
}

static int
ti_order(struct ti_file *tf)
{
	for (size_t i = 0; i < tf->n; i++)
		if (ti_depth(tf, &tf->rows[i]) < 0) {
			ti_bad(tf, tf->rows[i].line, _("parent links of %s form "
			    "a cycle"), tf->rows[i].code);
			tf->rows[i].depth = 0;
		}
	free(tf->by_code);
	tf->by_code = NULL;
	if (tf->errors > 0)
		return 0;
	qsort(tf->rows, tf->n, sizeof *tf->rows, ti_by_depth);
	return ti_index(tf);                    /* pointers moved */
}

static int
ti_root(void *ud, const struct db_territory *t)
{
	*(int64_t *)ud = t->id;
	return 1;
}

/* The parent's id: a row imported just before, the database, or root. */
static int
ti_parent_id(struct hr_db *db, struct ti_file *tf, const struct ti_row *r,
    int64_t root, int64_t *id, int *kind, struct hr_error *err)
{
	const struct ti_row *p;
	struct db_territory t;

	*id = root;
	*kind = HR_TERR_COUNTRY;
	if (r->parent[0] == '\0')
		return 0;
	if ((p = ti_find(tf, r->parent)) != NULL) {
		*id = p->id;
		*kind = p->kind;
		return 0;
	}
	if (db_territory_find(db, r->parent, &t, err) < 0)
		return (hr_errorf(err, HR_E_INVALID, "ctl.territory_parent",
		    "parent {value} is neither in the file nor in the database",
		    HR_STR("value", r->parent)), hr_error_prefix(err,
		    "{file}:{line}", HR_STR("file", tf->path), HR_INT("line",
		    r->line)));
	*id = t.id;
	*kind = t.kind;
	db_territory_free(&t);
	return 0;
}

static int
ti_write(struct hr_db *db, struct ti_file *tf, int *added,
    struct hr_error *err)
{
	int64_t root = 0, parent;
	int pkind, created;

	if (db_territory_children(db, 0, ti_root, &root, err) < 0)
		return -1;
	for (size_t i = 0; i < tf->n; i++) {
		struct ti_row *r = &tf->rows[i];

		if (ti_parent_id(db, tf, r, root, &parent, &pkind, err) < 0)
			return -1;
		if (r->kind <= pkind)
			return (hr_errorf(err, HR_E_INVALID,
			    "ctl.territory_kind", "a {kind} cannot lie under a "
			    "{parent}", HR_STR("kind",
			    hr_terr_kind_name(r->kind)), HR_STR("parent",
			    hr_terr_kind_name(pkind))), hr_error_prefix(err,
			    "{file}:{line}", HR_STR("file", tf->path),
			    HR_INT("line", r->line)));
		if (db_territory_upsert(db, r->code, parent, r->kind, r->name,
		    &r->id, &created, err) < 0)
			return hr_error_prefix(err, "{file}:{line}",
			    HR_STR("file", tf->path), HR_INT("line", r->line));
		*added += created;
	}
	return 0;
}

static void
ti_free(struct ti_file *tf)
{
	for (size_t i = 0; i < tf->n; i++) {
		free(tf->rows[i].code);
		free(tf->rows[i].parent);
		free(tf->rows[i].name);
	}
	free(tf->rows);
	free(tf->by_code);
}

static int
terr_import(struct hr_db *db, const char *path, struct hr_error *err)
{
	struct ti_file tf = { .path = path };
	char detail[512];
	int added = 0, rc;

	rc = ti_read(&tf, err);
	if (rc == 0 && (ti_index(&tf) < 0 || ti_order(&tf) < 0))
		rc = hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (rc == 0 && tf.errors > 0)
		rc = (tf.errors > TI_MAX_ERRORS ? hr_errorf(err, HR_E_INVALID,
		    "ctl.territory_rows", "{file}: {count} bad rows (the first "
		    "ones shown); nothing imported", HR_STR("file", path),
		    HR_INT("count", tf.errors)) : hr_errorf(err, HR_E_INVALID,
		    "ctl.territory_rows", "{file}: {count} bad rows; nothing "
		    "imported", HR_STR("file", path), HR_INT("count",
		    tf.errors)));
	if (rc == 0 && (rc = db_begin(db, err)) == 0) {
		rc = ti_write(db, &tf, &added, err);
		snprintf(detail, sizeof detail, "%s: %zu rows, %d added, %zu "
		    "updated", path, tf.n, added, tf.n - (size_t)added);
		if (rc == 0)
			rc = ctl_audit(db, "territory.import", "territories",
			    detail, err);
		if (rc == 0)
			rc = db_commit(db, err);
		if (rc < 0)
			db_rollback(db);
	}
	if (rc == 0)
		printf(_("Imported %s\n"), detail);
	ti_free(&tf);
	return rc;
}

/* ---- list ---- */

static int
terr_print(void *ud, const struct db_territory *t, int depth, int req)
{
	(void)ud;
	printf("%6lld  %*s%s [%s] %s%s\n", (long long)t->id, 2 * depth, "",
	    t->name, hr_terr_kind_name(t->kind) ? hr_terr_kind_name(t->kind) :
	    "?", t->katottg ? t->katottg : "-",
	    req ? _("  (requires terminal)") : "");
	return 0;
}

static int
terr_list(struct hr_db *db, const char *under, struct hr_error *err)
{
	struct db_territory t;
	int64_t root = 0;

	if (under != NULL) {
		if (db_territory_find(db, under, &t, err) < 0)
			return -1;
		root = t.id;
		db_territory_free(&t);
	}
	return db_territory_subtree(db, root, terr_print, NULL, err);
}

/* ---- contacts (printed on receipts and notices) ---- */

static void
terr_contacts_print(const struct db_territory *t, const struct db_contacts *c)
{
	const struct { const char *label, *v; } rows[] = {
		{ N_("Address"), c->address }, { N_("Phone"), c->phone },
		{ N_("E-mail"), c->email }, { N_("Hours"), c->hours },
	};

	printf("%s (%lld)\n", t->name, (long long)t->id);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		printf("  ");
		ctl_cell(_(rows[i].label), 14);
		printf(" %s\n", rows[i].v ? rows[i].v : "-");
	}
}

/* territory contacts TERRITORY [--address A] [--phone P] [--email E]
 * [--hours H]: set those given ("" clears), then show them. */
static int
terr_contacts(struct hr_db *db, int argc, char **argv, struct hr_error *err)
{
	struct db_territory t;
	struct db_contacts set = { 0 }, now;
	const char *v[4] = { NULL, NULL, NULL, NULL };
	static const char *const opts[4] = { "--address", "--phone", "--email",
	    "--hours" };
	char object[64], detail[1200];
	int changed = 0, rc;

	for (int i = 3; i < argc; i++) {
		int r = 0;
		for (int k = 0; k < 4 && r == 0; k++)
			if ((r = ctl_opt_value(argc, argv, &i, opts[k], &v[k],
			    err)) > 0)
				changed = 1;
		if (r < 0)
			return -1;
		if (r == 0)
			return ctl_unexpected("territory contacts", argv[i],
			    err);
	}
	if (db_territory_find(db, argv[2], &t, err) < 0)
		return -1;
	rc = 0;
	if (changed) {
		set.address = (char *)v[0];
		set.phone = (char *)v[1];
		set.email = (char *)v[2];
		set.hours = (char *)v[3];
		snprintf(object, sizeof object, "territory:%lld",
		    (long long)t.id);
		snprintf(detail, sizeof detail, "address %s; phone %s; e-mail "
		    "%s; hours %s", v[0] ? v[0] : "(kept)", v[1] ? v[1] :
		    "(kept)", v[2] ? v[2] : "(kept)", v[3] ? v[3] : "(kept)");
		rc = db_begin(db, err);
		if (rc == 0) {
			rc = db_contacts_set(db, t.id, &set, err);
			if (rc == 0)
				rc = ctl_audit(db, "territory.contacts", object,
				    detail, err);
			if (rc == 0)
				rc = db_commit(db, err);
			if (rc < 0)
				db_rollback(db);
		}
	}
	if (rc == 0 && (rc = db_contacts_get(db, t.id, &now, err)) == 0) {
		terr_contacts_print(&t, &now);
		db_contacts_free(&now);
	}
	db_territory_free(&t);
	return rc;
}

/* ---- require-terminal ---- */

static int
terr_require(struct hr_db *db, const char *spec, const char *onoff,
    struct hr_error *err)
{
	struct db_territory t;
	char object[64];
	int on, rc;

	if (strcmp(onoff, "on") != 0 && strcmp(onoff, "off") != 0)
		return hr_errorf(err, HR_E_USAGE, "ctl.on_off",
		    "require-terminal wants on or off, not \"{value}\"",
		    HR_STR("value", onoff));
	on = strcmp(onoff, "on") == 0;
	if (db_territory_find(db, spec, &t, err) < 0)
		return -1;
	snprintf(object, sizeof object, "territory:%lld", (long long)t.id);
	rc = db_begin(db, err);
	if (rc == 0) {
		rc = db_territory_require_terminal(db, t.id, on, err);
		if (rc == 0)
			rc = ctl_audit(db, on ? "territory.require_terminal" :
			    "territory.allow_any_terminal", object, t.name, err);
		if (rc == 0)
			rc = db_commit(db, err);
		if (rc < 0)
			db_rollback(db);
	}
	if (rc == 0)
		printf(on ? _("%s (%lld): users at and below it must log in "
		    "from a registered terminal\n") : _("%s (%lld): users at "
		    "and below it may log in from any PC (unless a territory "
		    "above requires a terminal)\n"), t.name, (long long)t.id);
	db_territory_free(&t);
	return rc;
}

static int
cmd_territory_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	const char *under = NULL;
	struct hr_db *db;
	int rc, sub;

	if (argc < 2)
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "territory "
		    "wants import, list, require-terminal or contacts");
	sub = strcmp(argv[1], "import") == 0 ? 0 : strcmp(argv[1], "list") ==
	    0 ? 1 : strcmp(argv[1], "require-terminal") == 0 ? 2 :
	    strcmp(argv[1], "contacts") == 0 ? 3 : -1;
	if (sub == 3 && argc < 3)
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "territory "
		    "contacts TERRITORY [--address A] [--phone P] [--email E] "
		    "[--hours H]");
	if (sub == 0 && argc != 3)
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "territory "
		    "import FILE");
	if (sub == 2 && argc != 4)
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "territory "
		    "require-terminal TERRITORY on|off");
	if (sub == 1) {
		for (int i = 2; i < argc; i++) {
			int r = ctl_opt_value(argc, argv, &i, "--under", &under,
			    err);

			if (r <= 0)
				return r < 0 ? -1 : ctl_unexpected("territory "
				    "list", argv[i], err);
		}
	}
	if (sub < 0)
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "territory "
		    "wants import, list, require-terminal or contacts, not "
		    "\"{value}\"", HR_STR("value", argv[1]));
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	rc = sub == 0 ? terr_import(db, argv[2], err) : sub == 1 ?
	    terr_list(db, under, err) : sub == 2 ? terr_require(db, argv[2],
	    argv[3], err) : terr_contacts(db, argc, argv, err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_territory = {
	"territory", cmd_territory_exec,
	"import|list|require-terminal|contacts ...",
	N_("Import and show the territory tree; require terminals"),
	N_("territory import FILE\n"
	"    The KATOTTG classifier as CSV: code,parent_code,kind,name (an\n"
	"    optional header line \"code,...\").  Parent empty: under the\n"
	"    country.  kind: oblast, spszn, hromada, cnap, starosta,\n"
	"    settlement, or a KATOTTG category letter (O K P H M T C X B).\n"
	"    Existing codes are renamed in place; all rows are checked first\n"
	"    and any bad row (reported with its line) imports nothing.\n"
	"territory list [--under TERRITORY]\n"
	"    The tree: id, name, [kind], KATOTTG code.\n"
	"territory require-terminal TERRITORY on|off\n"
	"    Users at and below TERRITORY may log in only from a terminal\n"
	"    registered with hromadactl terminal add.\n"
	"territory contacts TERRITORY [--address A] [--phone P] [--email E]\n"
	"    [--hours H]\n"
	"    How to reach an office, printed on receipts (a front office) and\n"
	"    decision notices (a back office); \"\" clears a field.  Without\n"
	"    options: shows them.\n"),
};
