/*
 * cmd_demo.c — hromadactl demo: load the demo data set.
 *
 * Territories and accounts come from the tables in demo_data.c; the 5,000
 * recipients and the sample applications are generated from a fixed seed,
 * so every run produces the same names, numbers and statuses (tests rely on
 * that).  Only password salts, the server key and audit times differ.
 * Everything is one transaction: a failed demo leaves the database as init
 * left it.
 */
#include "ctl/ctl.h"
#include "ctl/demo.h"
#include "ctl/demo_answer.h"
#include "db/applications.h"
#include "db/attachments.h"
#include "db/dat.h"
#include "db/filestore.h"
#include "db/persons.h"
#include "db/reference.h"
#include "db/regno.h"
#include "db/territory.h"
#include "db/users.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "proto/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#define DEMO_SEED      20261124u
#define DEMO_PERSONS   5000       /* hr_rnokpp_make serials 0..4999 */
#define DEMO_APPS_MAIN 40         /* in Березівська ОТГ */
#define DEMO_REG_YEAR  2026
#define DEMO_T0        1790841600 /* 2026-10-01 08:00 UTC: first application */
#define DEMO_STEP      (5 * 3600) /* between two status changes */
#define DEMO_TAKEUP_T0 1775001600 /* 2026-04-01 00:00 UTC: the first
                                     offices connected (demo_takeup) */

struct demo_person_ref {
	int64_t id;
	int     terr;       /* settlement: index in demo_terrs */
	int     age;
};

struct demo {
	struct hr_db           *db;
	uint64_t                rng;
	int64_t                 terr_id[64];
	int64_t                 user_id[16];
	struct demo_person_ref  person[DEMO_PERSONS];
	int                     npersons;
	int                     napps, nscans;
	struct hr_date          today;
	struct hr_store         store;      /* the scans beside the database */
	struct demo_answers     answers;    /* decisions, stored at the end */
};

/* splitmix64: tiny, fixed, identical on every platform. */
static uint64_t
demo_rand(struct demo *d)
{
	uint64_t z = (d->rng += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int
demo_pick(struct demo *d, int n)
{
	return (int)(demo_rand(d) % (uint64_t)n);
}

static int
demo_terr_index(const char *key)
{
	for (size_t i = 0; i < demo_nterrs; i++)
		if (strcmp(demo_terrs[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* The nearest ancestor-or-self of table row i of the given kind. */
static int
demo_terr_up(int i, int kind)
{
	while (i >= 0 && demo_terrs[i].kind != kind)
		i = demo_terrs[i].parent ? demo_terr_index(demo_terrs[i].parent) : -1;
	return i;
}

static int
demo_user_index(const char *name)
{
	for (size_t i = 0; i < demo_nusers; i++)
		if (strcmp(demo_users[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ---- territories and users ---------------------------------------------- */

static int
demo_territories(struct demo *d, int64_t root, struct hr_error *err)
{
	if (demo_nterrs > sizeof d->terr_id / sizeof d->terr_id[0] ||
	    demo_nusers > sizeof d->user_id / sizeof d->user_id[0])
		return hr_error_set(err, HR_E_INTERNAL, "demo tables outgrew "
		    "struct demo");
	d->terr_id[0] = root;     /* "ua": the root that init created */
	for (size_t i = 1; i < demo_nterrs; i++) {
		const struct demo_terr *t = &demo_terrs[i];
		int p = demo_terr_index(t->parent);

		if (p < 0 || (size_t)p >= i)
			return hr_error_set(err, HR_E_INTERNAL, "demo table: "
			    "parent of %s must come first", t->key);
		if (db_territory_add(d->db, d->terr_id[p], t->kind, t->name,
		    t->katottg, &d->terr_id[i], err) < 0)
			return -1;
	}
	return 0;
}

static void
demo_password(const char *user, char *out, size_t cap)
{
	snprintf(out, cap, "demo-%s-%d", user, DEMO_REG_YEAR);
}

static int
demo_accounts(struct demo *d, struct hr_error *err)
{
	for (size_t i = 0; i < demo_nusers; i++) {
		const struct demo_user *u = &demo_users[i];
		int t = demo_terr_index(u->terr);
		char pw[64], object[64];

		demo_password(u->name, pw, sizeof pw);
		if (t < 0 || db_user_add(d->db, u->name, u->full_name,
		    hr_role_from_name(u->role), d->terr_id[t], pw,
		    &d->user_id[i], err) < 0)
			return t < 0 ? hr_error_set(err, HR_E_INTERNAL, "demo "
			    "user %s: no territory %s", u->name, u->terr) : -1;
		snprintf(object, sizeof object, "user:%s", u->name);
		if (ctl_audit(d->db, "user.add", object, "demo account", err) < 0)
			return -1;
	}
	return 0;
}

/* ---- recipients ---------------------------------------------------------- */

/* One generated person before it goes into the database. */
struct demo_gen {
	int         sex;          /* enum hr_sex */
	int         age;
	int32_t     days;         /* birth, days since 31.12.1899 */
	const char *surname, *name, *patronymic;
	const struct demo_given *given;   /* men: their name, for children */
	int         terr;         /* settlement */
	int         street, house;
};

/* Identity document by age; canonical form through proto/ident. */
static int
demo_document(struct demo *d, const struct demo_gen *g, const char **type,
    char *doc, char *unzr, struct hr_error *err)
{
	static const char *const letters[] = { "А", "В", "Е", "К", "М", "Н",
	    "О", "Р", "С", "Т" };
	struct hr_date birth;
	char raw[48];
	int kind;

	hr_date_from_days(g->days, &birth);
	unzr[0] = '\0';
	if (g->age < 14) {
		kind = HR_DOC_BIRTH_CERT;
		*type = "birth_cert";
		snprintf(raw, sizeof raw, "I-%s%s%06d", letters[demo_pick(d, 10)],
		    letters[demo_pick(d, 10)], demo_pick(d, 1000000));
	} else if (g->age < 24 || demo_pick(d, 4) == 0) {
		kind = HR_DOC_ID_CARD;
		*type = "id_card";
		snprintf(raw, sizeof raw, "%09d", 1000000 + demo_pick(d, 999000000));
		if (hr_unzr_make(&birth, d->npersons % 10000, unzr) < 0)
			return hr_error_set(err, HR_E_INTERNAL, "no UNZR for "
			    "birth date %d-%02d-%02d", birth.y, birth.m, birth.d);
	} else {
		kind = HR_DOC_PASSPORT;
		*type = "passport";
		snprintf(raw, sizeof raw, "%s%s%06d", letters[demo_pick(d, 10)],
		    letters[demo_pick(d, 10)], demo_pick(d, 1000000));
	}
	return hr_docnum_normalize(kind, raw, strlen(raw), doc,
	    HR_DOCNUM_STR_MAX, err);
}

static int
demo_person_add(struct demo *d, const struct demo_gen *g, int64_t *id,
    struct hr_error *err)
{
	static const char *const ops[] = { "50", "66", "67", "68", "95", "96",
	    "97", "98", "63", "73", "93" };
	char rnokpp[HR_RNOKPP_LEN + 1], unzr[HR_UNZR_LEN + 1], birth[16],
	    doc[HR_DOCNUM_STR_MAX], addr[512], phone[HR_PHONE_STR_MAX];
	const struct demo_terr *s = &demo_terrs[g->terr];
	struct db_person p = { 0 };
	struct hr_date b;
	int refused = g->age >= 18 && demo_pick(d, 150) == 0;

	hr_date_from_days(g->days, &b);
	snprintf(birth, sizeof birth, "%04d-%02d-%02d", b.y, b.m, b.d);
	if (hr_rnokpp_make(g->days, d->npersons, (enum hr_sex)g->sex, rnokpp) < 0)
		return hr_error_set(err, HR_E_INTERNAL, "demo: cannot make an "
		    "РНОКПП for %s", birth);
	if (demo_document(d, g, &p.doc_type, doc, unzr, err) < 0)
		return -1;
	snprintf(addr, sizeof addr, "%s %s, %s, %d, %s", s->prefix, s->name,
	    demo_streets[g->street], g->house,
	    demo_terrs[demo_terr_up(g->terr, HR_TERR_HROMADA)].area);
	snprintf(phone, sizeof phone, "+380%s%07d", ops[demo_pick(d, 11)],
	    demo_pick(d, 10000000));
	p.rnokpp = refused ? NULL : rnokpp;
	p.rnokpp_refused = refused;
	p.surname = g->surname;
	p.name = g->name;
	p.patronymic = g->patronymic;
	p.birth_date = birth;
	p.sex = g->sex;
	p.unzr = unzr[0] ? unzr : NULL;
	p.doc_number = doc;
	p.reg_address = addr;
	p.phone = g->age >= 16 ? phone : NULL;
	return db_person_add(d->db, &p, id, err);
}

/* Birth `age` years (and some days) before today. */
static int32_t
demo_birth_days(struct demo *d, int age)
{
	return hr_date_to_days(&d->today) - age * 36525 / 100 - 1 -
	    demo_pick(d, 364);
}

/* Add g as the next person; remember where they live. */
static int
demo_emit(struct demo *d, struct demo_gen *g, int64_t *id, struct hr_error *err)
{
	struct demo_person_ref *r = &d->person[d->npersons];

	g->days = demo_birth_days(d, g->age);
	if (demo_person_add(d, g, id, err) < 0)
		return -1;
	r->id = *id;
	r->terr = g->terr;
	r->age = g->age;
	d->npersons++;
	return 0;
}

static int
demo_link(struct demo *d, int64_t a, int64_t b, const char *ab,
    const char *ba, struct hr_error *err)
{
	if (db_family_add(d->db, a, b, ab, err) < 0 ||
	    db_family_add(d->db, b, a, ba, err) < 0)
		return -1;
	return 0;
}

/* Name a household member of the given sex and age. */
static void
demo_member(struct demo *d, struct demo_gen *g, const struct demo_surname *sn,
    int sex, int age, const struct demo_given *father)
{
	const struct demo_given *pf = father ? father :
	    &demo_male[demo_pick(d, (int)demo_nmale)];

	g->sex = sex;
	g->age = age;
	g->surname = sex == HR_SEX_MALE ? sn->m : sn->f;
	g->given = sex == HR_SEX_MALE ?
	    &demo_male[demo_pick(d, (int)demo_nmale)] : NULL;
	g->name = g->given ? g->given->name :
	    demo_female[demo_pick(d, (int)demo_nfemale)];
	g->patronymic = sex == HR_SEX_MALE ? pf->patr_m : pf->patr_f;
}

static int
demo_children(struct demo *d, const struct demo_gen *home,
    const struct demo_surname *sn, const struct demo_given *father,
    const int64_t parent[2], int youngest, struct hr_error *err)
{
	int n = youngest >= 20 && youngest <= 50 ? demo_pick(d, 4) : 0;
	int max_age = youngest - 18 < 17 ? youngest - 18 : 17;

	for (int k = 0; k < n && d->npersons < DEMO_PERSONS; k++) {
		struct demo_gen c = *home;
		int64_t id;

		demo_member(d, &c, sn, demo_pick(d, 2) ? HR_SEX_MALE :
		    HR_SEX_FEMALE, demo_pick(d, max_age + 1), father);
		if (demo_emit(d, &c, &id, err) < 0)
			return -1;
		for (int j = 0; j < 2; j++)
			if (parent[j] != 0 && demo_link(d, parent[j], id, "child",
			    "parent", err) < 0)
				return -1;
	}
	return 0;
}

/* A settlement where people live (any table row of kind settlement). */
static int
demo_settlement(struct demo *d)
{
	for (;;) {
		int i = demo_pick(d, (int)demo_nterrs);

		if (demo_terrs[i].kind == HR_TERR_SETTLEMENT)
			return i;
	}
}

/* Head, maybe a spouse, maybe children: one address, one surname. */
static int
demo_household(struct demo *d, struct hr_error *err)
{
	const struct demo_surname *sn = &demo_surnames[demo_pick(d,
	    (int)demo_nsurnames)];
	struct demo_gen head = { 0 }, spouse;
	const struct demo_given *father;
	int64_t ids[2] = { 0, 0 };
	int youngest;

	head.terr = demo_settlement(d);
	head.street = demo_pick(d, (int)demo_nstreets);
	head.house = 1 + demo_pick(d, 120);
	demo_member(d, &head, sn, demo_pick(d, 2) ? HR_SEX_MALE : HR_SEX_FEMALE,
	    19 + demo_pick(d, 70), NULL);
	if (demo_emit(d, &head, &ids[0], err) < 0)
		return -1;
	youngest = head.age;
	father = head.given;
	if (head.age >= 21 && head.age <= 80 && demo_pick(d, 10) < 6 &&
	    d->npersons < DEMO_PERSONS) {
		spouse = head;
		demo_member(d, &spouse, sn, head.sex == HR_SEX_MALE ?
		    HR_SEX_FEMALE : HR_SEX_MALE, head.age - 4 + demo_pick(d, 9),
		    NULL);
		if (spouse.age < 18)
			spouse.age = 18;
		if (demo_emit(d, &spouse, &ids[1], err) < 0 ||
		    demo_link(d, ids[0], ids[1], "spouse", "spouse", err) < 0)
			return -1;
		youngest = spouse.age < youngest ? spouse.age : youngest;
		father = father ? father : spouse.given;
	}
	return demo_children(d, &head, sn, father, ids, youngest, err);
}

static int
demo_recipients(struct demo *d, struct hr_error *err)
{
	while (d->npersons < DEMO_PERSONS)
		if (demo_household(d, err) < 0)
			return -1;
	return 0;
}

/* ---- applications -------------------------------------------------------- */

/* Services used by the samples; they must exist in services.csv. */
static const char *const demo_services[] = {
	"birth", "low_income", "subsidy", "care_80", "single_parent",
	"benefit_cash", "burial", "idp_living", "subsidy_fuel",
	"disability_child", "one_time",
};

/* One sample application: where, by whom, how far it got. */
struct demo_app {
	const char *office;      /* territory key of the front office */
	const char *front_user;  /* creates and sends */
	const char *hromada_user;
	const char *spszn_user;
	int         status;      /* final status */
	int64_t     at;          /* creation time */
};

/* An adult living in the office's area (the ЦНАП serves the whole hromada). */
static int64_t
demo_applicant(struct demo *d, int office)
{
	int start = demo_pick(d, d->npersons);

	for (int k = 0; k < d->npersons; k++) {
		const struct demo_person_ref *p = &d->person[(start + k) %
		    d->npersons];
		int up = demo_terr_up(p->terr, demo_terrs[office].kind);

		if (demo_terrs[office].kind == HR_TERR_CNAP)
			up = demo_terr_up(p->terr, HR_TERR_HROMADA) ==
			    demo_terr_up(office, HR_TERR_HROMADA) ? office : -1;
		if (up == office && p->age >= 18)
			return p->id;
	}
	return 0;
}

static int
demo_app_move(struct demo *d, int64_t id, const struct demo_app *a,
    struct hr_error *err)
{
	int from = HR_ST_DRAFT;
	int64_t at = a->at;

	for (const int *act = demo_paths[a->status]; *act >= 0; act++) {
		const char *who = *act == HR_ACT_SEND_OTG ? a->front_user :
		    (*act == HR_ACT_SEND_SPSZN || *act == HR_ACT_RETURN_FRONT) ?
		    a->hromada_user : a->spszn_user;
		int u = demo_user_index(who);
		const struct hr_transition *t = hr_workflow_find(from, *act,
		    hr_role_from_name(demo_users[u].role));

		if (t == NULL)
			return hr_error_set(err, HR_E_INTERNAL, "demo: the "
			    "workflow does not let %s do %s in %s", who,
			    hr_action_name(*act), hr_status_name(from));
		at += DEMO_STEP;
		if (db_application_set_status(d->db, id, from, t->to,
		    d->user_id[u], demo_reasons[*act], at, err) < 0)
			return -1;
		from = t->to;
		if (*act == HR_ACT_ANSWER && demo_answer_decided(&d->answers,
		    id, d->user_id[u], at, err) < 0)
			return -1;
	}
	return 0;
}

/* The documents a service requires (codes copied out of the rows). */
struct demo_docs {
	char        code[16][32];
	const char *ptr[16];
	size_t      n;
};

static int
demo_doc_collect(void *ud, const char *code)
{
	struct demo_docs *dd = ud;

	if (dd->n < sizeof dd->code / sizeof dd->code[0]) {
		snprintf(dd->code[dd->n], sizeof dd->code[0], "%s", code);
		dd->ptr[dd->n] = dd->code[dd->n];
		dd->n++;
	}
	return 0;
}

/* One scan (a small PDF, demo_scan.c) stored and attached as `doc`. */
static int
demo_scan_attach(struct demo *d, int64_t id, const char *doc,
    int64_t user_id, int64_t at, struct hr_error *err)
{
	char pdf[4096], name[64];
	struct db_attachment a = { 0 };
	struct db_file f = { .stored_at = at };
	size_t len;
	int64_t aid;

	if (demo_scan_pdf(doc, pdf, sizeof pdf, &len) < 0)
		return hr_error_set(err, HR_E_INTERNAL, "demo scan too big");
	hr_filehash_mem(pdf, len, f.hash);
	f.size = (int64_t)len;
	snprintf(f.type, sizeof f.type, "pdf");
	snprintf(name, sizeof name, "%s.pdf", doc);
	/* Stored once per content; all made durable (one syncfs) before
	 * the transaction that names them commits (cmd_demo_exec). */
	if (!hr_store_has(&d->store, f.hash, NULL) &&
	    hr_store_put(&d->store, pdf, len, f.hash, 1, err) < 0)
		return -1;
	if (db_file_add(d->db, &f, err) < 0)
		return -1;
	a.application_id = id;
	a.doc_code = doc;
	a.name = name;
	a.type = f.type;
	a.size = f.size;
	a.user_id = user_id;
	a.attached_at = at;
	memcpy(a.hash, f.hash, sizeof a.hash);
	d->nscans++;
	return db_attachment_add(d->db, &a, &aid, err);
}

/* A full package has a scan of every required document, a partial one
 * lacks the last: what application.get then reports as missing agrees. */
static int
demo_app_documents(struct demo *d, int64_t id, const char *service,
    int full, int64_t user_id, int64_t at, struct hr_error *err)
{
	struct demo_docs dd = { .n = 0 };

	if (db_service_required(d->db, service, demo_doc_collect, &dd, err) < 0)
		return -1;
	if (!full && dd.n > 0)
		dd.n--;
	for (size_t i = 0; i < dd.n; i++)
		if (demo_scan_attach(d, id, dd.ptr[i], user_id, at, err) < 0)
			return -1;
	return 0;
}

static int
demo_app_add(struct demo *d, const struct demo_app *a, int nservice,
    struct hr_error *err)
{
	int office = demo_terr_index(a->office);
	int hromada = demo_terr_up(office, HR_TERR_HROMADA);
	struct db_application_new n = { 0 };
	char reg_no[DB_REGNO_MAX];
	int64_t id;
	int full;

	n.front_office_id = d->terr_id[office];
	n.service_code = demo_services[nservice % (int)(sizeof demo_services /
	    sizeof demo_services[0])];
	n.applicant_id = demo_applicant(d, office);
	n.created_by = d->user_id[demo_user_index(a->front_user)];
	full = demo_pick(d, 3) != 0;
	n.at = a->at;
	/* Numbered as application.save numbers them (db/regno.h), so the
	 * hromada's counter continues after the demo's applications. */
	if (db_regno_next(d->db, d->terr_id[hromada], DEMO_REG_YEAR, reg_no,
	    err) < 0)
		return -1;
	n.reg_no = reg_no;
	n.reg_year = DEMO_REG_YEAR;
	if (n.applicant_id == 0)
		return hr_error_set(err, HR_E_INTERNAL, "demo: nobody lives in "
		    "%s", a->office);
	if (db_application_add(d->db, &n, &id, err) < 0 ||
	    demo_app_documents(d, id, n.service_code, full, n.created_by,
	    n.at, err) < 0 ||
	    demo_app_move(d, id, a, err) < 0)
		return -1;
	d->napps++;
	return 0;
}

/* ---- months of take-up before Березівська (seed 001) ---------------- */

/*
 * Seed 001's «Динаміка зростання» and «Динаміка підключення ОТГ»: the
 * Вінницька oblast's hromadas took part from April, more each month;
 * Станіславчицька stopped after June (connected, idle), Браїлівська never
 * connected.  Their applications go all the way to a decision, so the
 * reports show months of cases formed, accepted and decided, and the
 * monitoring offices connected and using.  They are created before
 * Березівська's (ids follow time), from their own random stream (the
 * demo's other data stay as they were), without scans.
 *
 * Their accounts only sign the history: enabled, so their offices count
 * as connected, but with no password ("!" is no Argon2 string) — nobody
 * logs in as them, and the demo lists only the accounts one can use.
 */
static int64_t
demo_signer_id(const int64_t ids[], const char *name)
{
	for (size_t i = 0; i < demo_nsigners; i++)
		if (strcmp(demo_signers[i].name, name) == 0)
			return ids[i];
	return 0;
}

static int
demo_signers_add(struct demo *d, int64_t ids[], struct hr_error *err)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(d->db->sql, "INSERT INTO users (name, "
	    "full_name, role, territory_id, pwhash, disabled, created_at, "
	    "updated_at) VALUES (?1, ?2, ?3, ?4, '!', 0, ?5, ?5)", -1, &st,
	    NULL) != SQLITE_OK)
		return hr_error_set(err, HR_E_INTERNAL, "demo signers: %s",
		    sqlite3_errmsg(d->db->sql));
	for (size_t i = 0; i < demo_nsigners; i++) {
		char object[64];

		sqlite3_bind_text(st, 1, demo_signers[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, demo_signers[i].full_name, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 3, demo_signers[i].role, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, d->terr_id[demo_terr_index(
		    demo_signers[i].terr)]);
		sqlite3_bind_int64(st, 5, DEMO_TAKEUP_T0);
		if (sqlite3_step(st) != SQLITE_DONE) {
			hr_error_set(err, HR_E_INTERNAL, "demo signer %s: %s",
			    demo_signers[i].name, sqlite3_errmsg(d->db->sql));
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_reset(st);
		ids[i] = sqlite3_last_insert_rowid(d->db->sql);
		snprintf(object, sizeof object, "user:%s", demo_signers[i].name);
		if (ctl_audit(d->db, "user.add", object, "demo signer, no "
		    "password", err) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

/* One application from creation to its decision, signed by ids. */
static int
demo_takeup_app(struct demo *d, int office, const int64_t who[3],
    int64_t at, int k, struct hr_error *err)
{
	static const int acts[] = { HR_ACT_SEND_OTG, HR_ACT_SEND_SPSZN,
	    HR_ACT_CHECK, HR_ACT_EXPORT, HR_ACT_ANSWER };
	static const int after_days[] = { 1, 2, 6, 8, 15 };
	int hromada = demo_terr_up(office, HR_TERR_HROMADA);
	struct db_application_new n = { 0 };
	struct demo_decision dec = { 0 };
	char reg_no[DB_REGNO_MAX];
	int64_t id;
	int from = HR_ST_DRAFT;

	n.front_office_id = d->terr_id[office];
	n.service_code = demo_services[(k * 7) % (int)(sizeof demo_services /
	    sizeof demo_services[0])];
	n.applicant_id = demo_applicant(d, office);
	n.created_by = who[0];
	n.at = at;
	if (n.applicant_id == 0)
		return hr_error_set(err, HR_E_INTERNAL, "demo: nobody lives in "
		    "%s", demo_terrs[office].key);
	if (db_regno_next(d->db, d->terr_id[hromada], DEMO_REG_YEAR, reg_no,
	    err) < 0)
		return -1;
	n.reg_no = reg_no;
	n.reg_year = DEMO_REG_YEAR;
	if (db_application_add(d->db, &n, &id, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
		const struct hr_transition *t = hr_workflow_find(from, acts[i],
		    i == 0 ? HR_ROLE_SUPER_USER_CNAP : i == 1 ? HR_ROLE_UPO_OTG :
		    HR_ROLE_SPSZN);

		if (t == NULL)
			return hr_error_set(err, HR_E_INTERNAL, "demo: the "
			    "workflow does not let %s in %s",
			    hr_action_name(acts[i]), hr_status_name(from));
		if (db_application_set_status(d->db, id, from, t->to,
		    who[i == 0 ? 0 : i == 1 ? 1 : 2], NULL, at +
		    (int64_t)after_days[i] * 86400 + 3600 * (int64_t)i, err) < 0)
			return -1;
		from = t->to;
	}
	/* imported as the application was answered, by its back office */
	dec.app_id = id;
	dec.user_id = who[2];
	dec.at = at + (int64_t)after_days[4] * 86400 + 4 * 3600;
	dec.decision = k % 3 == 2 ? HR_DEC_REFUSED : HR_DEC_ASSIGNED;
	dec.amount = k % 3 != 2 ? 180000 + (int64_t)demo_pick(d, 36) *
	    10000 : 0;
	if (demo_answer_note(&d->answers, &dec, err) < 0)
		return -1;
	d->napps++;
	return 0;
}

static int
demo_takeup(struct demo *d, struct hr_error *err)
{
	uint64_t saved = d->rng;

	if (demo_nsigners > DEMO_SIGNERS_MAX)
		return hr_error_set(err, HR_E_INTERNAL, "demo tables outgrew "
		    "struct demo");
	int64_t  ids[DEMO_SIGNERS_MAX];
	int      k = 0, rc = 0;
	struct hr_date apr1 = { 2026, 4, 1 };

	d->rng = DEMO_SEED ^ 0x5EED0001u;     /* a stream of its own */
	if (demo_signers_add(d, ids, err) < 0) {
		d->rng = saved;
		return -1;
	}
	/* month by month, the hromadas' applications interleaved by day so
	 * that creation times (and so ids) go forward */
	for (int m = 0; m < 6 && rc == 0; m++)
		for (int day = 0; day < 28 && rc == 0; day++)
			for (size_t h = 0; h < demo_ntakeups && rc == 0;
			    h++) {
				int n = demo_takeups[h].per_month[m];
				int64_t who[3];
				struct hr_date first = apr1;

				if (n == 0 || day % (28 / n) != 0 ||
				    day / (28 / n) >= n)
					continue;
				first.m += m;
				who[0] = demo_signer_id(ids, demo_takeups[h].clerk);
				who[1] = demo_signer_id(ids, demo_takeups[h].upo);
				who[2] = demo_signer_id(ids, demo_takeups[h].spszn);
				rc = demo_takeup_app(d, demo_terr_index(
				    demo_takeups[h].office), who,
				    hr_date_local(&first, day + 1, 9 + (int)h,
				    0), k++, err);
			}
	d->rng = saved;
	return rc;
}

/* Front offices of Березівська and the clerk who works in each. */
static const struct {
	const char *office, *user;
} demo_offices[] = {
	{ "berez-cnap", "cnap" },     { "berez-st1", "sta" },
	{ "berez-st2", "supersta" },  { "berez-cnap", "supercnap" },
	{ "berez-st3", "supersta" },  { "berez-st4", "supersta" },
	{ "berez-st1", "sta" },
};

static int
demo_applications(struct demo *d, struct hr_error *err)
{
	const size_t noff = sizeof demo_offices / sizeof demo_offices[0];
	static const int sibling_status[] = { HR_ST_DRAFT, HR_ST_AT_OTG,
	    HR_ST_AT_SPSZN, HR_ST_CHECKED };

	/* Statuses cycle with a stride so neighbours in the journal differ;
	 * the sibling hromada's few are interleaved so ids follow time. */
	for (int k = 0; k < DEMO_APPS_MAIN; k++) {
		struct demo_app a = { demo_offices[k % noff].office,
		    demo_offices[k % noff].user, "upo", "spszn",
		    (k * 3) % HR_ST__COUNT, DEMO_T0 + (int64_t)k * 30 * 3600 };

		if (demo_app_add(d, &a, k, err) < 0)
			return -1;
		if (k % 10 != 5)
			continue;
		a = (struct demo_app){ "shal-cnap", "supercnap2", "supercnap2",
		    "spszn", sibling_status[k / 10], a.at + 1800 };
		if (demo_app_add(d, &a, k + 5, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- the command ------------------------------------------------------- */

static int
demo_count_child(void *ud, const struct db_territory *t)
{
	(void)t;
	++*(int *)ud;
	return 1;
}

static int
demo_find_root(void *ud, const struct db_territory *t)
{
	*(int64_t *)ud = t->id;
	return 1;
}

/* The root init made, and nothing under it yet. */
static int
demo_check_empty(struct hr_db *db, int64_t *root, struct hr_error *err)
{
	int children = 0;

	*root = 0;
	if (db_territory_children(db, 0, demo_find_root, root, err) < 0)
		return -1;
	if (*root == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "ctl.no_root",
		    "{file} has no root territory (run hromadactl init)",
		    HR_STR("file", db->path));
	if (db_territory_children(db, *root, demo_count_child, &children,
	    err) < 0)
		return -1;
	if (children > 0)
		return hr_errorf(err, HR_E_DUPLICATE, "ctl.demo_not_fresh",
		    "{file} has territories already; the demo loads only into "
		    "a fresh database", HR_STR("file", db->path));
	return 0;
}

static int
demo_load(struct demo *d, const char *refdir, int64_t root,
    struct hr_error *err)
{
	char detail[160];

	if (db_reference_load(d->db, refdir, NULL, NULL, err) < 0 ||
	    demo_territories(d, root, err) < 0 ||
	    demo_accounts(d, err) < 0 ||
	    demo_recipients(d, err) < 0 ||
	    demo_takeup(d, err) < 0 ||
	    demo_applications(d, err) < 0 ||
	    demo_answers_store(&d->answers, d->db, err) < 0)
		return -1;
	snprintf(detail, sizeof detail, "%zu territories, %zu users, %d "
	    "persons, %d applications, %d scans", demo_nterrs, demo_nusers,
	    d->npersons, d->napps, d->nscans);
	return ctl_audit(d->db, "demo.load", "database", detail, err);
}

static void
demo_print(const struct demo *d)
{
	char pw[64];

	printf(_("Demo data: %zu territories, %d persons, %d applications, "
	    "%d scans.\n\n"), demo_nterrs, d->npersons, d->napps, d->nscans);
	ctl_cells(_("USER"), 11, _("PASSWORD"), 22, _("ROLE"), 15, NULL);
	printf(" %s\n", _("TERRITORY"));
	for (size_t i = 0; i < demo_nusers; i++) {
		const struct demo_user *u = &demo_users[i];
		int t = demo_terr_index(u->terr);

		demo_password(u->name, pw, sizeof pw);
		printf("%-11s %-22s %-15s %s (%lld)\n", u->name, pw, u->role,
		    demo_terrs[t].name, (long long)d->terr_id[t]);
	}
}

static int
cmd_demo_exec(struct ctl_ctx *ctx, int argc, char **argv, struct hr_error *err)
{
	const char *refdir = NULL;
	struct demo *d;
	int64_t root;
	int rc;

	for (int i = 1; i < argc; i++) {
		int r = ctl_opt_value(argc, argv, &i, "--reference", &refdir, err);

		if (r < 0)
			return -1;
		if (r == 0)
			return ctl_unexpected(argv[0], argv[i], err);
	}
	/* Large (the person index): on the heap. */
	if ((d = calloc(1, sizeof *d)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	d->rng = DEMO_SEED;
	d->today = (struct hr_date){ 2026, 11, 1 };
	d->store.fd = d->store.partial_fd = -1;
	rc = ctl_open(ctx, &d->db, err);
	if (rc == 0)
		rc = hr_store_open(&d->store, ctx->db_path, 1, err);
	if (rc == 0 && (rc = demo_check_empty(d->db, &root, err)) == 0 &&
	    (rc = db_begin(d->db, err)) == 0) {
		rc = demo_load(d, ctl_reference_dir(refdir), root, err);
		if (rc == 0)
			rc = hr_store_sync(&d->store, err);
		rc = rc == 0 ? db_commit(d->db, err) : rc;
		if (rc < 0)
			db_rollback(d->db);
	}
	if (rc == 0)
		demo_print(d);
	hr_store_close(&d->store);
	db_close(d->db);
	demo_answers_free(&d->answers);
	free(d);
	return rc;
}

const struct ctl_cmd ctl_cmd_demo = {
	"demo", cmd_demo_exec, "[--reference DIR]",
	N_("Load the demo data set into an initialised database"),
	N_("Adds the territories of Вінницька and Сумська oblasts (Березівська\n"
	"ОТГ with its ЦНАП and four starosta districts), one user of every\n"
	"role with the password demo-NAME-2026, 5000 synthetic recipients\n"
	"with valid tax numbers, and sample applications in every status\n"
	"with small PDF scans of their documents (some packages partial)\n"
	"in the file store beside the database; before them, six months of\n"
	"decided applications of three Вінницька hromadas (one idle since\n"
	"June, one never connected), signed by accounts without a password.\n"
	"The same data every time; prints the users and passwords.\n"),
};
