/*
 * test_authz_matrix.c — who may do what where: every demo role × every
 * intake action × an application in four places, against a real hromadad.
 *
 * Places, relative to the user:
 *   own   the user's own front office (for the hromada unit, the back
 *         office and the no-personal-data roles: Березівська's ЦНАП);
 *   office another front office of the same hromada (Березівська);
 *   shal  the sibling hromada Шалигинська, under the same back office;
 *   khot  Хотінська, under another back office.
 *
 * Every cell gets an application and an applicant of its own, written into
 * the database file before the server starts, in the status where the
 * action would be allowed if role and place allowed it.  The expected
 * table below is written from DOMAIN.md ("Roles", "Application statuses",
 * transitions) and the intake contract — not from proto/workflow.c — so the
 * server's tables are checked against the domain, not against themselves.
 *
 * For every cell: allowed or refused as expected, with the expected error
 * code; a refused cell changed nothing (version, status, updated_at of its
 * application; no new application of its applicant) and its error message
 * names neither the applicant's surname nor their РНОКПП.  The matrix is
 * printed (A allowed, . refused, ! where the server disagreed).
 *
 * Reports (issue 16), every demo user: report.get of the user's own scope
 * with a person in it (the clerks who sent cases up) only for the roles
 * that work with cases, counts only for oblast and ministry, refused for
 * admin; report.monitor only for oblast and ministry.
 *
 * Alike on purpose: roles[] and reach[] are tables, a row a demo user or a
 * kind of user; their rows look like any small table of rows in the tree
 * (ctl/cmd_report.c's reports[]).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db/applications.h"
#include "db/dat.h"
#include "db/db.h"
#include "db/persons.h"
#include "db/regno.h"
#include "db/territory.h"
#include "db/users.h"
#include "proto/dat.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "tests/integration/intake_util.h"
#include "tests/lib/tdat.h"

#define TEST_SECS 120   /* 9 roles x 15 actions x 4 places, and the report
                         logins of every demo user, under load */

/* ---- the domain, written out for this test ---------------------------- */

enum kind { K_FRONT, K_SUPER, K_UPO, K_SPSZN, K_NOPD };
enum place { OWN, OFFICE, SHAL, KHOT, NPLACES };

/* Territory ids of the demo data (hromadactl demo prints them). */
enum {
	T_BEREZ_CNAP = 23, T_SLOUT = 24, T_DUNAETS = 25,
	T_SHAL_CNAP = 37, T_KHOT_CNAP = 43,
};

static const struct role {
	const char *user;
	enum kind   kind;
	int64_t     own, office;   /* front offices for OWN and OFFICE */
} roles[] = {
	{ "sta",       K_FRONT, T_SLOUT,      T_BEREZ_CNAP },
	{ "cnap",      K_FRONT, T_BEREZ_CNAP, T_SLOUT },
	{ "supersta",  K_SUPER, T_DUNAETS,    T_BEREZ_CNAP },
	{ "supercnap", K_SUPER, T_BEREZ_CNAP, T_SLOUT },
	{ "upo",       K_UPO,   T_BEREZ_CNAP, T_SLOUT },
	{ "spszn",     K_SPSZN, T_BEREZ_CNAP, T_SLOUT },
	{ "oblast",    K_NOPD,  T_BEREZ_CNAP, T_SLOUT },
	{ "ministry",  K_NOPD,  T_BEREZ_CNAP, T_SLOUT },
	{ "admin",     K_NOPD,  T_BEREZ_CNAP, T_SLOUT },
};
#define NROLES (sizeof roles / sizeof roles[0])

/* Which places a kind of user sees (DOMAIN.md "Roles": scope). */
static const int reach[][NPLACES] = {
	[K_FRONT] = { 1, 0, 0, 0 },     /* own front office */
	[K_SUPER] = { 1, 1, 0, 0 },     /* any office of own hromada */
	[K_UPO]   = { 1, 1, 0, 0 },     /* own hromada */
	[K_SPSZN] = { 1, 1, 1, 0 },     /* hromadas the back office serves */
	[K_NOPD]  = { 0, 0, 0, 0 },     /* aggregates only, no cases */
};

enum act {
	A_GET, A_UPDATE, A_CREATE, A_SEND_OTG, A_SEND_SPSZN, A_RETURN_FRONT,
	A_RETURN_OTG, A_CHECK, A_EXPORT, A_ANSWER, A_PERSON_GET,
	A_PERSON_SEARCH, A_JOURNAL, A_PRINT, A_NOTIFY, NACTS
};

#define F (1u << K_FRONT)
#define S (1u << K_SUPER)
#define U (1u << K_UPO)
#define B (1u << K_SPSZN)

static const struct action {
	const char *name;          /* column label */
	const char *wire;          /* transition action, or NULL */
	unsigned    may;           /* kinds the domain lets do it */
	unsigned    callers;       /* kinds that may call the method at all */
	int         scoped;        /* depends on where the application is */
	const char *to;            /* status after a transition */
} acts[NACTS] = {
	[A_GET]           = { "get",     NULL,           F|S|U|B, F|S|U|B, 1, NULL },
	[A_UPDATE]        = { "update",  NULL,           F|S|U,   F|S|U,   1, NULL },
	[A_CREATE]        = { "create",  NULL,           F|S,     F|S,     0, NULL },
	[A_SEND_OTG]      = { "sendotg", "send_otg",     F|S,     F|S|U|B, 1, "at_otg" },
	[A_SEND_SPSZN]    = { "sendszn", "send_spszn",   S|U,     F|S|U|B, 1, "at_spszn" },
	[A_RETURN_FRONT]  = { "retfrnt", "return_front", U,       F|S|U|B, 1, "returned_front" },
	[A_RETURN_OTG]    = { "retotg",  "return_otg",   B,       F|S|U|B, 1, "returned_otg" },
	[A_CHECK]         = { "check",   "check",        B,       F|S|U|B, 1, "checked" },
	[A_EXPORT]        = { "export",  "export",       0,       F|S|U|B, 1, NULL },
	[A_ANSWER]        = { "answer",  "answer",       0,       F|S|U|B, 1, NULL },
	[A_PERSON_GET]    = { "p.get",   NULL,           F|S|U|B, F|S|U|B, 0, NULL },
	[A_PERSON_SEARCH] = { "p.find",  NULL,           F|S|U|B, F|S|U|B, 0, NULL },
	[A_JOURNAL]       = { "journal", NULL,           F|S|U|B, F|S|U|B, 1, NULL },
	/* printing is a read; telling the applicant is the counter's work */
	[A_PRINT]         = { "print",   NULL,           F|S|U|B, F|S|U|B, 1, NULL },
	[A_NOTIFY]        = { "notify",  NULL,           F|S|U,   F|S|U,   1, NULL },
};

/* The status a cell's application is put in: where the action would be
 * allowed for this kind of user (DOMAIN.md transitions and editing). */
static int
cell_status(enum act a, enum kind k)
{
	switch (a) {
	case A_UPDATE:       return k == K_UPO ? HR_ST_RETURNED_OTG : HR_ST_DRAFT;
	case A_SEND_SPSZN:   return k == K_UPO ? HR_ST_AT_OTG : HR_ST_DRAFT;
	case A_RETURN_FRONT: return HR_ST_AT_OTG;
	case A_RETURN_OTG:
	case A_CHECK:        return HR_ST_AT_SPSZN;
	case A_EXPORT:       return HR_ST_CHECKED;
	case A_ANSWER:       return HR_ST_EXPORTED;
	case A_NOTIFY:       return HR_ST_ANSWERED;
	default:             return k == K_SPSZN ? HR_ST_AT_SPSZN : HR_ST_DRAFT;
	}
}

/* The back office sees an application only from hand-over on. */
static int
status_seen(enum kind k, int status)
{
	return k != K_SPSZN || (status != HR_ST_DRAFT &&
	    status != HR_ST_AT_OTG && status != HR_ST_RETURNED_FRONT);
}

/* HR_OK, or the code the refusal must carry. */
static int
expected(const struct role *r, enum act a, enum place p)
{
	const struct action *ac = &acts[a];
	unsigned bit = 1u << r->kind;

	if (!(ac->callers & bit))
		return HR_E_FORBIDDEN;
	if (a == A_EXPORT || a == A_ANSWER)
		return HR_E_STATE;        /* the *.DAT exchange's, never here */
	if (ac->scoped && !(reach[r->kind][p] &&
	    status_seen(r->kind, cell_status(a, r->kind))))
		return HR_E_NOT_FOUND;
	return (ac->may & bit) ? HR_OK : HR_E_STATE;
}

/* ---- the cells ---------------------------------------------------------- */

struct cell {
	int64_t app_id, person_id, office;
	char    surname[64], rnokpp[HR_RNOKPP_LEN + 1], doc[16], birth[16];
	int     got;                  /* the server's answer (code) */
	char    msg[HR_ERROR_MSG_MAX];
};

static struct cell cells[NROLES][NACTS][NPLACES];
static struct testsrv srv;
static sqlite3 *dbf;

static int64_t
place_office(const struct role *r, enum place p)
{
	static const int64_t fixed[NPLACES] = { 0, 0, T_SHAL_CNAP, T_KHOT_CNAP };

	return p == OWN ? r->own : p == OFFICE ? r->office : fixed[p];
}

/* A surname no demo person has, unique per cell: "Матрич" + digits as
 * letters. */
static void
cell_surname(int n, char *out, size_t cap)
{
	static const char *const dig[] = { "а", "б", "в", "г", "д", "е", "ж",
	    "з", "и", "к" };

	snprintf(out, cap, "Матрич%s%s%s", dig[n / 100 % 10], dig[n / 10 % 10],
	    dig[n % 10]);
}

static void
cell_person(struct hr_db *db, struct cell *c, int n)
{
	struct hr_date b;
	struct db_person p = { 0 };
	struct hr_error err;
	int32_t days;

	b = (struct hr_date){ 1920, 1, 1 };
	days = hr_date_to_days(&b) + n * 7;      /* born 1920-1929 */
	hr_date_from_days(days, &b);
	snprintf(c->birth, sizeof c->birth, "%04d-%02d-%02d", b.y, b.m, b.d);
	assert_int_equal(hr_rnokpp_make(days, n % 5000, HR_SEX_MALE,
	    c->rnokpp), 0);
	cell_surname(n, c->surname, sizeof c->surname);
	snprintf(c->doc, sizeof c->doc, "ЖЖ%06d", n);
	p.rnokpp = c->rnokpp;
	p.surname = c->surname;
	p.name = "Олесь";
	p.patronymic = "Петрович";
	p.birth_date = c->birth;
	p.sex = HR_SEX_MALE;
	p.doc_type = "passport";
	p.doc_number = c->doc;
	p.reg_address = "с. Тестове";
	hr_error_clear(&err);
	if (db_person_add(db, &p, &c->person_id, &err) < 0)
		fail_msg("cell person %d: %s", n, err.msg);
}

static void
cell_application(struct hr_db *db, struct cell *c, int status,
    int64_t admin_id)
{
	struct db_application_new n = { 0 };
	char reg_no[DB_REGNO_MAX];
	struct hr_error err;
	int64_t hromada;

	hr_error_clear(&err);
	n.front_office_id = c->office;
	n.service_code = "low_income";
	n.applicant_id = c->person_id;
	n.created_by = admin_id;
	n.reg_no = reg_no;
	n.reg_year = 2026;
	if (db_territory_ancestor(db, c->office, HR_TERR_HROMADA, &hromada,
	    &err) < 0 || db_regno_next(db, hromada, 2026, reg_no, &err) < 0 ||
	    db_application_add(db, &n, &c->app_id, &err) < 0 ||
	    (status != HR_ST_DRAFT && db_application_set_status(db, c->app_id,
	    HR_ST_DRAFT, status, admin_id, NULL, 0, &err) < 0))
		fail_msg("cell application: %s", err.msg);
}

/* Хотінська's draft, exported application and exchange file: out of
 * every demo role's sight (test_missing_alike). */
static int64_t foreign_draft, foreign_exported, foreign_file, foreign_person,
    foreign_register;
static char foreign_rnokpp[HR_RNOKPP_LEN + 1];

static void
foreign_prepare(struct hr_db *db, int64_t admin_id)
{
	struct cell c;
	struct hr_error err;
	int64_t spszn;

	memset(&c, 0, sizeof c);
	c.office = T_KHOT_CNAP;
	cell_person(db, &c, 900);
	cell_application(db, &c, HR_ST_DRAFT, admin_id);
	foreign_draft = c.app_id;
	cell_person(db, &c, 901);
	cell_application(db, &c, HR_ST_AT_OTG, admin_id);
	hr_error_clear(&err);
	if (db_application_set_status(db, c.app_id, HR_ST_AT_OTG,
	    HR_ST_AT_SPSZN, admin_id, NULL, 0, &err) < 0 ||
	    db_application_set_status(db, c.app_id, HR_ST_AT_SPSZN,
	    HR_ST_CHECKED, admin_id, NULL, 0, &err) < 0 ||
	    db_application_set_status(db, c.app_id, HR_ST_CHECKED,
	    HR_ST_EXPORTED, admin_id, NULL, 0, &err) < 0 ||
	    db_territory_ancestor(db, T_KHOT_CNAP, HR_TERR_SPSZN, &spszn,
	    &err) < 0)
		fail_msg("foreign application: %s", err.msg);
	foreign_exported = c.app_id;
	/* A person of Вінницька область only: no user of the demo (all of
	 * Сумська) finds them by name or may open them without their
	 * identifier. */
	{
		struct hr_date b = { 1959, 12, 18 };
		struct db_person p = { 0 };

		if (hr_rnokpp_make(hr_date_to_days(&b), 4901, HR_SEX_MALE,
		    foreign_rnokpp) < 0)
			fail_msg("foreign person's РНОКПП");
		p.rnokpp = foreign_rnokpp;
		p.surname = "Вінничук";
		p.name = "Тарас";
		p.birth_date = "1959-12-18";
		p.sex = HR_SEX_MALE;
		p.reg_address = "с. Агрономічне, вул. Садова, 3, Вінницька обл.";
		if (db_person_add(db, &p, &foreign_person, &err) < 0)
			fail_msg("foreign person: %s", err.msg);
	}
	/* Хотінська's transfer register. */
	{
		char sql[512];
		int64_t h;

		if (db_territory_ancestor(db, T_KHOT_CNAP, HR_TERR_HROMADA, &h,
		    &err) < 0)
			fail_msg("foreign register: %s", err.msg);
		snprintf(sql, sizeof sql, "INSERT INTO transfer_registers "
		    "(office_id, hromada_id, spszn_id, stage, year, number, "
		    "made_at, made_on, made_by, made_by_name, from_name, to_name, "
		    "row_count, document_count) VALUES (%d, %lld, %lld, 'otg', "
		    "2026, 1, 1780000000, '2026-05-28', %lld, 'admin', 'ЦНАП', "
		    "'ОТГ', 0, 0)", T_KHOT_CNAP, (long long)h, (long long)spszn,
		    (long long)admin_id);
		if (db_exec(db, sql, "foreign register", &err) < 0)
			fail_msg("foreign register: %s", err.msg);
		foreign_register = sqlite3_last_insert_rowid(db->sql);
	}
	{
		struct db_dat_file f = { .direction = "export", .system = "asopd",
		    .number = 1, .spszn_id = spszn, .name = "asopd_x_000001.DAT",
		    .created_at = 1718000000, .stored_at = 1718000000,
		    .user_id = admin_id, .crc32 = "00000000", .record_count = 0 };

		if (db_dat_file_add(db, &f, "x", 1, &foreign_file, &err) < 0)
			fail_msg("foreign file: %s", err.msg);
	}
}

/* Write every cell's person and application into the database file. */
static void
cells_prepare(const char *path)
{
	struct hr_db *db = NULL;
	struct db_user admin;
	struct hr_error err;
	int n = 0;

	hr_error_clear(&err);
	if (db_open(&db, path, 0, &err) < 0 ||
	    db_user_by_name(db, "admin", &admin, &err) < 0 ||
	    db_begin(db, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	for (size_t r = 0; r < NROLES; r++)
		for (int a = 0; a < NACTS; a++)
			for (int p = 0; p < NPLACES; p++) {
				struct cell *c = &cells[r][a][p];

				c->office = place_office(&roles[r], p);
				cell_person(db, c, n++);
				cell_application(db, c, cell_status(a,
				    roles[r].kind), admin.id);
			}
	foreign_prepare(db, admin.id);
	if (db_commit(db, &err) < 0)
		fail_msg("commit: %s", err.msg);
	db_user_free(&admin);
	db_close(db);
}

/* ---- doing it ------------------------------------------------------------ */

struct snap {
	int64_t version, updated_at, apps;
	char    status[32];
};

static void
snap_take(const struct cell *c, struct snap *s)
{
	s->version = iu_db_int(dbf, "SELECT version FROM applications WHERE id "
	    "= ?", c->app_id);
	s->updated_at = iu_db_int(dbf, "SELECT updated_at FROM applications "
	    "WHERE id = ?", c->app_id);
	s->apps = iu_db_int(dbf, "SELECT count(*) FROM applications WHERE "
	    "applicant_id = ?", c->person_id);
	iu_db_text(dbf, "SELECT status FROM applications WHERE id = ?",
	    c->app_id, s->status, sizeof s->status);
}

static void
cell_form(const struct cell *c, struct iu_form *f, int create)
{
	memset(f, 0, sizeof *f);
	f->service = create ? "one_time" : "low_income";
	f->applicant = (struct iu_person){ c->person_id, c->rnokpp, 0,
	    c->surname, "Олесь", "Петрович", c->birth, "M", NULL, "passport",
	    c->doc, "с. Тестове", NULL };
	f->notes = "matrix";
	if (!create) {
		f->id = c->app_id;
		f->version = iu_db_int(dbf, "SELECT version FROM applications "
		    "WHERE id = ?", c->app_id);
	}
}

static void
cell_call(struct hr_client *cl, enum act a, struct cell *c, struct tcall *t)
{
	struct iu_form f;

	switch (a) {
	case A_GET:
		iu_get(cl, c->app_id, t);
		break;
	case A_UPDATE:
	case A_CREATE:
		cell_form(c, &f, a == A_CREATE);
		iu_save(cl, &f, t);
		break;
	case A_PERSON_GET:
		iu_person_get(cl, c->person_id, t);
		break;
	case A_PERSON_SEARCH:
		iu_person_search(cl, c->rnokpp, 5, t);
		break;
	case A_JOURNAL:
		iu_journal(cl, c->office, t);
		break;
	case A_PRINT:
		iu_print(cl, c->app_id, "receipt", t);
		break;
	case A_NOTIFY:
		iu_notify(cl, c->app_id, iu_db_int(dbf, "SELECT version FROM "
		    "applications WHERE id = ?", c->app_id), "phone", t);
		break;
	default:
		iu_transition(cl, c->app_id, iu_db_int(dbf, "SELECT version FROM "
		    "applications WHERE id = ?", c->app_id), acts[a].wire, "Причина "
		    "повернення", t);
		break;
	}
}

/* What an allowed cell must have done. */
static void
check_effect(enum act a, const struct cell *c, const struct snap *b,
    const struct tcall *t, const char *what)
{
	struct snap after;

	snap_take(c, &after);
	if (acts[a].to != NULL) {
		if (strcmp(after.status, acts[a].to) != 0 ||
		    after.version != b->version + 1)
			fail_msg("%s: status %s version %lld after the transition",
			    what, after.status, (long long)after.version);
	} else if (a == A_UPDATE || a == A_NOTIFY) {
		if (after.version != b->version + 1)
			fail_msg("%s: version did not grow", what);
	} else if (a == A_CREATE) {
		if (after.apps != b->apps + 1)
			fail_msg("%s: no application was created", what);
	} else if (a == A_GET || a == A_PRINT) {
		if (tobj_int(tobj_get(iu_app(t), "id"), 0) != c->app_id)
			fail_msg("%s: another application came back", what);
	} else if (a == A_PERSON_SEARCH) {
		if (iu_len(tobj_get(tcall_result(t), "items")) != 1)
			fail_msg("%s: the person was not found", what);
	}
}

/* A refused cell: nothing changed, nothing personal in the message. */
static void
check_refusal(const struct cell *c, const struct snap *b,
    const struct tcall *t, const char *what)
{
	struct snap after;

	snap_take(c, &after);
	if (after.version != b->version || after.updated_at != b->updated_at ||
	    after.apps != b->apps || strcmp(after.status, b->status) != 0)
		fail_msg("%s: refused but changed (version %lld -> %lld, status "
		    "%s -> %s)", what, (long long)b->version,
		    (long long)after.version, b->status, after.status);
	if (strstr(t->msg, c->surname) != NULL || strstr(t->msg, c->rnokpp) != NULL)
		fail_msg("%s: the refusal names the applicant: %s", what, t->msg);
}

static int
run_cell(struct hr_client *cl, size_t r, enum act a, enum place p)
{
	struct cell *c = &cells[r][a][p];
	int want = expected(&roles[r], a, p);
	struct tcall t;
	struct snap b;
	char what[96];

	snprintf(what, sizeof what, "%s × %s × %s", roles[r].user, acts[a].name,
	    (const char *[]){ "own", "office", "shal", "khot" }[p]);
	snap_take(c, &b);
	tcall_init(&t);
	cell_call(cl, a, c, &t);
	c->got = t.code;
	snprintf(c->msg, sizeof c->msg, "%s", t.msg);
	if (t.code == HR_OK && want == HR_OK)
		check_effect(a, c, &b, &t, what);
	else if (t.code != HR_OK)
		check_refusal(c, &b, &t, what);
	tcall_free(&t);
	if (c->got != want) {
		fprintf(stderr, "# MISMATCH %s: expected %s, got %s: %s\n", what,
		    hr_error_name(want), hr_error_name(c->got), c->msg);
		return 1;
	}
	return 0;
}

static void
print_matrix(void)
{
	static const char place_ch[NPLACES] = { 'o', 'f', 's', 'k' };

	fprintf(stderr, "# authorization matrix: per action the places own, "
	    "office (same hromada), shal (sibling hromada), khot (foreign);\n"
	    "# A allowed, . refused, ! the server disagreed with DOMAIN.md\n");
	fprintf(stderr, "# %-10s", "");
	for (int a = 0; a < NACTS; a++)
		fprintf(stderr, " %-7s", acts[a].name);
	fprintf(stderr, "\n# %-10s", "");
	for (int a = 0; a < NACTS; a++)
		fprintf(stderr, " %c%c%c%c   ", place_ch[0], place_ch[1],
		    place_ch[2], place_ch[3]);
	fprintf(stderr, "\n");
	for (size_t r = 0; r < NROLES; r++) {
		fprintf(stderr, "# %-10s", roles[r].user);
		for (int a = 0; a < NACTS; a++) {
			fputc(' ', stderr);
			for (int p = 0; p < NPLACES; p++) {
				const struct cell *c = &cells[r][a][p];
				int want = expected(&roles[r], a, p);

				fputc(c->got != want ? '!' : c->got == HR_OK ?
				    'A' : '.', stderr);
			}
			fputs("   ", stderr);
		}
		fputc('\n', stderr);
	}
}

static void
test_matrix(void **state)
{
	int mismatches = 0, allowed = 0, refused = 0;

	(void)state;
	for (size_t r = 0; r < NROLES; r++) {
		struct hr_client *cl = iu_login(&srv, roles[r].user);

		for (int a = 0; a < NACTS; a++)
			for (int p = 0; p < NPLACES; p++) {
				mismatches += run_cell(cl, r, a, p);
				if (cells[r][a][p].got == HR_OK)
					allowed++;
				else
					refused++;
			}
		hr_client_free(cl);
	}
	print_matrix();
	fprintf(stderr, "# %d cells: %d allowed, %d refused, %d mismatches\n",
	    allowed + refused, allowed, refused, mismatches);
	assert_int_equal(mismatches, 0);
}

/* ---- ids out of scope read like ids that do not exist ------------------- */

#define NO_SUCH_ID ((int64_t)1 << 40)

/* Compare the answers to one request about `out` and about `none`. */
struct alike {
	const char *what;
	int         code;
	char        msg[HR_ERROR_MSG_MAX];
};

static int
alike_check(const char *user, const char *what, const struct tcall *a,
    const struct tcall *b)
{
	if (a->code == b->code && strcmp(a->msg, b->msg) == 0) {
		if (a->code == HR_OK)
			fprintf(stderr, "# ALIKE? %s × %s: both succeeded\n", user,
			    what);
		return a->code == HR_OK;
	}
	fprintf(stderr, "# DIFFER %s × %s: %s \"%s\" vs %s \"%s\"\n", user,
	    what, hr_error_name(a->code), a->msg, hr_error_name(b->code), b->msg);
	return 1;
}

static void
call_transition(struct hr_client *cl, int64_t id, struct tcall *t)
{
	int64_t v = iu_db_int(dbf, "SELECT version FROM applications WHERE id = "
	    "?", id);

	iu_transition(cl, id, v > 0 ? v : 1, "send_otg", NULL, t);
}

static void
call_update(struct hr_client *cl, int64_t id, const struct cell *c,
    struct tcall *t)
{
	struct iu_form f;

	cell_form(c, &f, 0);
	f.id = id;
	f.version = iu_db_int(dbf, "SELECT version FROM applications WHERE id = "
	    "?", id);
	if (f.version <= 0)
		f.version = 1;
	iu_save(cl, &f, t);
}

/* An answer file of the user's back office naming application `id`. */
static void
call_import(struct hr_client *cl, int64_t id, struct tcall *t)
{
	struct hr_dat_answer a = { id, "00001/2026", HR_DEC_REFUSED, 0, 0, "",
	    "", "немає підстав", 0 };
	struct hr_dat d = { .hdr = { HR_DAT_VERSION, HR_DAT_ANSWER,
	    HR_DAT_UTF8, "asopd", 7, "", 1718000000, 1 } };
	struct hr_error err;

	iu_db_text(dbf, "SELECT coalesce(katottg, id) FROM territories WHERE id "
	    "= (SELECT territory_id FROM users WHERE name = 'spszn')", -1,
	    d.hdr.office, sizeof d.hdr.office);
	d.answers = &a;
	if (tdat_import_dat(cl, &d, t, IU_CALL_MS, &err) < 0)
		fail_msg("answer: %s", err.msg);
}

/* application.save creating with applicant {id} only. */
static void
call_save_person(struct hr_client *cl, int64_t person, struct tcall *t)
{
	struct iu_form f;

	memset(&f, 0, sizeof f);
	f.service = "one_time";
	f.applicant.id = person;
	iu_save(cl, &f, t);
}

/* application.print {id, document}, application.notify {id, version,
 * how}, register.create {ids: [id]}. */
static void
call_print(struct hr_client *cl, int64_t id, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(cl, HR_M_APPLICATION_PRINT);

	msgpack_pack_map(pk, 2);
	hr_pack_kv_int(pk, "id", id);
	hr_pack_kv_str(pk, "document", "application");
	tcall_send_wait(cl, t, IU_CALL_MS);
}

static void
call_notify(struct hr_client *cl, int64_t id, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(cl, HR_M_APPLICATION_NOTIFY);
	int64_t v = iu_db_int(dbf, "SELECT version FROM applications WHERE id = "
	    "?", id);

	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "id", id);
	hr_pack_kv_int(pk, "version", v > 0 ? v : 1);
	hr_pack_kv_str(pk, "how", "phone");
	tcall_send_wait(cl, t, IU_CALL_MS);
}

static void
call_register_create(struct hr_client *cl, int64_t id, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(cl, HR_M_REGISTER_CREATE);

	msgpack_pack_map(pk, 1);
	hr_pack_str(pk, "ids");
	msgpack_pack_array(pk, 1);
	msgpack_pack_int64(pk, id);
	tcall_send_wait(cl, t, IU_CALL_MS);
}

/* report.get {territory} (issue 16). */
static void
call_report(struct hr_client *cl, int64_t id, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(cl, HR_M_REPORT_GET);

	msgpack_pack_map(pk, 1);
	hr_pack_kv_int(pk, "territory", id);
	tcall_send_wait(cl, t, IU_CALL_MS);
}

enum { M_GET, M_UPDATE, M_TRANSITION, M_JOURNAL, M_DAT_GET, M_DAT_IMPORT,
	M_PERSON_GET, M_SAVE_PERSON, M_PRINT, M_NOTIFY, M_REGISTER_GET,
	M_REGISTER_CREATE, M_REPORT, M_BATCH, NIDMETHODS };
static const char *const id_methods[NIDMETHODS] = {
	"application.get", "application.save", "application.transition",
	"journal.list front_office", "dat.get", "dat.import", "person.get",
	"application.save applicant.id", "application.print",
	"application.notify", "register.get", "register.create",
	"report.get territory", "application.batch row",
};

/* The kind of user test_missing_alike calls as (call_batch's action). */
static enum kind alike_kind;

/*
 * application.batch of one id with an action the role may batch: the
 * call's own refusal (a role that may not batch), else its only row's —
 * which must not name the application's number.
 */
static void
call_batch(struct hr_client *cl, int64_t id, struct tcall *t)
{
	int64_t v = iu_db_int(dbf, "SELECT version FROM applications WHERE id = "
	    "?", id);
	const msgpack_object *rows, *row;
	struct hr_error e;

	if (v <= 0)
		v = 1;
	iu_batch(cl, alike_kind == K_SPSZN ? "check" : "send_spszn", &id, &v, 1,
	    NULL, 1, t);
	if (t->code != HR_OK)
		return;
	rows = tobj_get(tcall_result(t), "rows");
	assert_non_null(rows);
	assert_int_equal(iu_len(rows), 1);
	row = &rows->via.array.ptr[0];
	assert_int_equal(row->via.array.size, 4);
	hr_error_clear(&e);
	if (row->via.array.ptr[3].type == MSGPACK_OBJECT_NIL) {
		t->code = HR_OK;            /* it moved: ALIKE? reports it */
		return;
	}
	hr_rpc_error_obj_read(&row->via.array.ptr[3], &e);
	assert_int_equal(row->via.array.ptr[1].type, MSGPACK_OBJECT_NIL);
	t->code = e.code;
	snprintf(t->msg, sizeof t->msg, "%s", e.msg);
}

/* Method m about `id` (an application, office or file id). */
static void
id_call(struct hr_client *cl, int m, int64_t id, const struct cell *c,
    struct tcall *t)
{
	tcall_init(t);
	switch (m) {
	case M_GET:        iu_get(cl, id, t); break;
	case M_UPDATE:     call_update(cl, id, c, t); break;
	case M_TRANSITION: call_transition(cl, id, t); break;
	case M_JOURNAL:    iu_journal(cl, id, t); break;
	case M_DAT_GET:    iu_call_id(cl, HR_M_DAT_GET, id, t); break;
	case M_DAT_IMPORT: call_import(cl, id, t); break;
	case M_PERSON_GET: iu_person_get(cl, id, t); break;
	case M_SAVE_PERSON: call_save_person(cl, id, t); break;
	case M_PRINT:      call_print(cl, id, t); break;
	case M_NOTIFY:     call_notify(cl, id, t); break;
	case M_REGISTER_GET: iu_call_id(cl, HR_M_REGISTER_GET, id, t); break;
	case M_REGISTER_CREATE: call_register_create(cl, id, t); break;
	case M_REPORT:     call_report(cl, id, t); break;
	case M_BATCH:      call_batch(cl, id, t); break;
	}
}

/*
 * Issue 10: for every method that takes an id, every role gets the same
 * bytes for an id out of its scope as for one that does not exist — the
 * code, and every line of the message.
 */
static void
test_missing_alike(void **state)
{
	int differ = 0, pairs = 0;

	(void)state;
	for (size_t r = 0; r < NROLES; r++) {
		struct hr_client *cl = iu_login(&srv, roles[r].user);
		const struct cell *c = &cells[r][A_UPDATE][KHOT];

		alike_kind = roles[r].kind;

		for (int m = 0; m < NIDMETHODS; m++) {
			int64_t out[3] = { 0 };
			size_t nout = 0;
			struct tcall none;

			switch (m) {
			case M_JOURNAL:
				out[nout++] = T_KHOT_CNAP;
				break;
			case M_DAT_GET:
				out[nout++] = foreign_file;
				break;
			case M_PERSON_GET:
			case M_SAVE_PERSON:
				out[nout++] = foreign_person;
				break;
			case M_REGISTER_GET:
				out[nout++] = foreign_register;
				break;
			case M_REPORT:
				/* a settlement (no report has one); another
				 * oblast's hromada, out of every scope but the
				 * ministry's */
				out[nout++] = iu_db_int(dbf, "SELECT id FROM "
				    "territories WHERE kind = 'settlement' "
				    "ORDER BY id LIMIT 1", -1);
				if (strcmp(roles[r].user, "ministry") != 0)
					out[nout++] = iu_db_int(dbf, "SELECT "
					    "id FROM territories WHERE name = "
					    "'Агрономічна сільська ОТГ'", -1);
				break;
			case M_DAT_IMPORT:
				/* another back office's, and a draft of its own
				 * district it may not see */
				out[nout++] = foreign_exported;
				out[nout++] = cells[0][A_GET][OWN].app_id;
				break;
			default:
				out[nout++] = c->app_id;
				out[nout++] = foreign_draft;
				out[nout++] = foreign_exported;
				break;
			}
			id_call(cl, m, NO_SUCH_ID, c, &none);
			for (size_t k = 0; k < nout; k++) {
				struct tcall t;

				id_call(cl, m, out[k], c, &t);
				differ += alike_check(roles[r].user, id_methods[m],
				    &t, &none);
				pairs++;
				tcall_free(&t);
			}
			tcall_free(&none);
		}
		hr_client_free(cl);
	}
	fprintf(stderr, "# %d pairs (out of scope, nonexistent): %d differ\n",
	    pairs, differ);
	assert_int_equal(differ, 0);
}

/*
 * Issue 16: who reaches a person through a report.  P: report.get
 * answers with the `clerks` list (names of the users who sent cases up);
 * C: counts only (no `clerks`, every child's `clerks` a number); R:
 * refused.  report.monitor: A allowed, R refused.
 */
static void
test_report_persons(void **state)
{
	static const struct {
		const char *user;
		char        get, monitor;
	} want[] = {
		{ "sta", 'P', 'R' }, { "cnap", 'P', 'R' },
		{ "supersta", 'P', 'R' }, { "supercnap", 'P', 'R' },
		{ "upo", 'P', 'R' }, { "spszn", 'P', 'R' },
		{ "oblast", 'C', 'A' }, { "ministry", 'C', 'A' },
		{ "admin", 'R', 'R' },
	};
	int wrong = 0;

	(void)state;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct hr_client *cl = iu_login(&srv, want[i].user);
		struct tcall t;
		char got, mon;

		tcall_init(&t);
		msgpack_pack_map(hr_client_begin(cl, HR_M_REPORT_GET), 0);
		tcall_send_wait(cl, &t, IU_CALL_MS);
		got = t.code != HR_OK ? 'R' :
		    tobj_get(tcall_result(&t), "clerks") != NULL ? 'P' : 'C';
		if (got == 'C') {
			const msgpack_object *kids = tobj_get(tcall_result(&t),
			    "children");

			for (uint32_t k = 0; k < iu_len(kids); k++)
				if (tobj_get(&kids->via.array.ptr[k],
				    "clerks")->type !=
				    MSGPACK_OBJECT_POSITIVE_INTEGER)
					got = '!';
		}
		tcall_free(&t);
		tcall_init(&t);
		msgpack_pack_map(hr_client_begin(cl, HR_M_REPORT_MONITOR), 0);
		tcall_send_wait(cl, &t, IU_CALL_MS);
		mon = t.code == HR_OK ? 'A' : t.code == HR_E_FORBIDDEN ? 'R' :
		    '!';
		tcall_free(&t);
		fprintf(stderr, "# %-10s report.get %c (want %c), "
		    "report.monitor %c (want %c)\n", want[i].user, got,
		    want[i].get, mon, want[i].monitor);
		wrong += got != want[i].get || mon != want[i].monitor;
		hr_client_free(cl);
	}
	assert_int_equal(wrong, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_missing_alike),
		cmocka_unit_test(test_report_persons),
	};

	return IU_RUN("authorization matrix", tests, &srv, &dbf,
	    TEST_SECS, cells_prepare);
}
