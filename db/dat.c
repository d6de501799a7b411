/*
 * dat.c — exchange files, decisions and export records (db/dat.h).
 *
 * The export records are read the way the form reads an application
 * (db_app_get, the members, the persons, the income) and copied into
 * strings the batch owns, because the rows of a query live only until its
 * next step.  Lists are read whole before the next query starts: nested
 * statements of one cache would reset each other.
 *
 * person_cb copies a person of the application's own copy into the
 * exchange record field by field, as db/print.c's print_person does into
 * the printed form's person: the two lists look alike because both name
 * the fields of one person, but each is the map from the database to a
 * format of its own (the DAT record's fields and allocator, the paper's),
 * and is read best as that list.
 */
#include "db/dat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/application_parts.h"
#include "db/applications.h"
#include "db/attachments.h"
#include "db/db_priv.h"
#include "db/application_persons.h"
#include "proto/filehash.h"
#include "proto/ident.h"

#define FILE_COLS "f.id, f.spszn_id, f.number, f.created_at, f.stored_at, " \
	"f.user_id, f.record_count, length(f.data), f.direction, f.system, " \
	"f.name, f.crc32, u.full_name"

static void
file_row(sqlite3_stmt *st, struct db_dat_file *f)
{
	int64_t *nums[] = { &f->id, &f->spszn_id, &f->number, &f->created_at,
		&f->stored_at, &f->user_id, &f->record_count, &f->size };
	const char **strs[] = { &f->direction, &f->system, &f->name,
		&f->crc32, &f->user };
	int c = 0;

	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		*nums[i] = sqlite3_column_int64(st, c++);
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		*strs[i] = (const char *)sqlite3_column_text(st, c++);
}

int
db_dat_next_number(struct hr_db *db, int64_t spszn_id, const char *system,
    uint32_t *number, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT coalesce(max(number), 0) "
	    "FROM dat_files WHERE spszn_id = ? AND system = ? AND direction = "
	    "'export'", err);
	int64_t last;

	if (st == NULL || db_bindf(db, st, "number an exchange file", err,
	    "it", spszn_id, system) < 0 ||
	    db_step_row(db, st, "number an exchange file", err) != 1)
		return -1;
	last = sqlite3_column_int64(st, 0);
	(void)sqlite3_reset(st);
	if (last >= HR_DAT_NUMBER_MAX)
		return hr_errorf(err, HR_E_STATE, "dat.numbers_used_up",
		    "the exchange numbers of {system} are used up ({max})",
		    HR_STR("system", system), HR_INT("max", HR_DAT_NUMBER_MAX));
	*number = (uint32_t)last + 1;
	return 0;
}

int
db_dat_file_add(struct hr_db *db, const struct db_dat_file *f,
    const void *data, size_t len, int64_t *id, struct hr_error *err)
{
	if (db_run(db, "INSERT INTO dat_files (direction, system, number, "
	    "spszn_id, name, created_at, stored_at, user_id, crc32, "
	    "record_count, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "store an exchange file", err, "ttiitiiitib", f->direction,
	    f->system, f->number, f->spszn_id, f->name, f->created_at,
	    f->stored_at, f->user_id, f->crc32, f->record_count, data, len) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

/* Run a query of FILE_COLS rows, each to fn. */
static int
file_rows(struct hr_db *db, sqlite3_stmt *st, db_dat_file_fn *fn, void *ud,
    int *count, struct hr_error *err)
{
	struct db_dat_file f;
	int rc;

	*count = 0;
	while ((rc = db_step_row(db, st, "read exchange files", err)) == 1) {
		file_row(st, &f);
		(*count)++;
		if (fn != NULL && (rc = fn(ud, &f)) != 0) {
			(void)sqlite3_reset(st);
			return rc < 0 ? -1 : 0;
		}
	}
	return rc;
}

int
db_dat_file_find(struct hr_db *db, int64_t spszn_id, const char *system,
    const char *direction, int64_t number, db_dat_file_fn *fn, void *ud,
    int *found, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " FILE_COLS " FROM "
	    "dat_files f JOIN users u ON u.id = f.user_id WHERE f.spszn_id = ? "
	    "AND f.system = ? AND f.direction = ? AND f.number = ?", err);

	if (st == NULL || db_bindf(db, st, "look for an exchange file", err,
	    "itti", spszn_id, system, direction, number) < 0)
		return -1;
	return file_rows(db, st, fn, ud, found, err);
}

int
db_dat_file_each(struct hr_db *db, int64_t spszn_id, int limit,
    db_dat_file_fn *fn, void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " FILE_COLS " FROM "
	    "dat_files f JOIN users u ON u.id = f.user_id WHERE f.spszn_id = ? "
	    "ORDER BY f.id DESC LIMIT ?", err);
	int n;

	if (st == NULL || db_bindf(db, st, "list exchange files", err, "id",
	    spszn_id, limit) < 0)
		return -1;
	return file_rows(db, st, fn, ud, &n, err);
}

int
db_dat_file_get(struct hr_db *db, int64_t id, int64_t spszn_id,
    db_dat_file_fn *fn, void *ud, void **data, size_t *len,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " FILE_COLS ", f.data FROM "
	    "dat_files f JOIN users u ON u.id = f.user_id WHERE f.id = ? AND "
	    "f.spszn_id = ?", err);
	struct db_dat_file f;
	int rc;

	*data = NULL;
	*len = 0;
	if (st == NULL || db_bindf(db, st, "read an exchange file", err, "ii",
	    id, spszn_id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read an exchange file", err)) <= 0)
		return rc < 0 ? -1 : hr_errorf(err, HR_E_NOT_FOUND,
		    "dat.file_not_found", "exchange file not found");
	file_row(st, &f);
	*len = (size_t)sqlite3_column_bytes(st, 13);
	if ((*data = malloc(*len ? *len : 1)) == NULL) {
		(void)sqlite3_reset(st);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	memcpy(*data, sqlite3_column_blob(st, 13), *len);
	rc = fn != NULL ? fn(ud, &f) : 0;
	(void)sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

int
db_dat_office_code(struct hr_db *db, int64_t spszn_id, char *out, size_t cap,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT katottg FROM territories "
	    "WHERE id = ?", err);
	const char *k;

	if (st == NULL || db_bindf(db, st, "read the back office", err, "i",
	    spszn_id) < 0 || db_step_row(db, st, "read the back office",
	    err) != 1)
		return hr_error_set(err, HR_E_INTERNAL, "back office %lld not "
		    "found", (long long)spszn_id);
	k = (const char *)sqlite3_column_text(st, 0);
	if (k != NULL)
		snprintf(out, cap, "%s", k);
	else
		snprintf(out, cap, "%lld", (long long)spszn_id);
	(void)sqlite3_reset(st);
	return 0;
}

int
db_dat_system_known(struct hr_db *db, const char *system, int *known,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM services WHERE "
	    "system = ? LIMIT 1", err);
	int rc;

	*known = 0;
	if (st == NULL || db_bindf(db, st, "look up a decision system", err,
	    "t", system) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "look up a decision system", err)) == 1) {
		*known = 1;
		(void)sqlite3_reset(st);
	}
	return rc < 0 ? -1 : 0;
}

int
db_dat_system_check(struct hr_db *db, const char *system,
    struct hr_error *err)
{
	int known;

	if (db_dat_system_known(db, system, &known, err) < 0)
		return -1;
	if (!known)
		return hr_errorf(err, HR_E_INVALID, "dat.unknown_system",
		    "\"{value}\" is not the decision system of any service "
		    "(asopd, edarp, subsidy)", HR_STR("value", system));
	return 0;
}

void
db_dat_file_crc(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t end = n > 0 ? n - 1 : 0;

	while (end > 0 && p[end - 1] != '\n')
		end--;
	snprintf(out, cap, "%08x", hr_dat_crc32(0, p, end));
}

void
db_dat_when(int64_t at, char *out, size_t cap)
{
	time_t    t = (time_t)at;
	struct tm tm;

	if (cap > 0)
		out[0] = '\0';
	if (localtime_r(&t, &tm) != NULL)
		strftime(out, cap, "%d.%m.%Y %H:%M", &tm);
}

/* ---- decisions --------------------------------------------------------- */

static const char *
empty_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* With its application's territories (033_decision_counts: the journal
 * walks a scope's decisions of a kind on them); the callers have checked
 * that the application is there. */
int
db_decision_add(struct hr_db *db, const struct db_decision *d,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO decisions "
	    "(application_id, decision, amount, period_from, period_to, "
	    "reason, imported_at, file_id, hromada_id, spszn_id, oblast_id) "
	    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, a.hromada_id, a.spszn_id, "
	    "a.oblast_id FROM applications a WHERE a.id = ?1", err);

	if (st == NULL || db_bindf(db, st, "store a decision", err, "ititttii",
	    d->application_id, hr_decision_name(d->decision), d->amount,
	    empty_null(d->period_from), empty_null(d->period_to),
	    empty_null(d->reason), d->imported_at, d->file_id) < 0)
		return -1;
	if (!d->has_amount && sqlite3_bind_null(st, 3) != SQLITE_OK)
		return db_fail(db, err, "store a decision");
	if (db_step_done(db, st, "store a decision", err) < 0)
		return -1;
	if (sqlite3_changes(db->sql) == 0)
		return hr_error_set(err, HR_E_INTERNAL, "store a decision: no "
		    "application %lld", (long long)d->application_id);
	return 0;
}

int
db_decision_get(struct hr_db *db, int64_t application_id, db_decision_fn *fn,
    void *ud, int *found, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT d.decision, d.amount, "
	    "d.period_from, d.period_to, d.reason, d.imported_at, d.file_id, "
	    "a.notified_at, a.notified_how FROM decisions d JOIN applications "
	    "a ON a.id = d.application_id WHERE d.application_id = ?", err);
	struct db_decision d;
	int rc;

	*found = 0;
	if (st == NULL || db_bindf(db, st, "read a decision", err, "i",
	    application_id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read a decision", err)) <= 0)
		return rc;
	*found = 1;
	memset(&d, 0, sizeof d);
	d.application_id = application_id;
	d.decision = hr_decision_from_name((const char *)
	    sqlite3_column_text(st, 0));
	d.has_amount = sqlite3_column_type(st, 1) != SQLITE_NULL;
	d.amount = sqlite3_column_int64(st, 1);
	d.period_from = (const char *)sqlite3_column_text(st, 2);
	d.period_to = (const char *)sqlite3_column_text(st, 3);
	d.reason = (const char *)sqlite3_column_text(st, 4);
	d.imported_at = sqlite3_column_int64(st, 5);
	d.file_id = sqlite3_column_int64(st, 6);
	d.notified_at = sqlite3_column_int64(st, 7);
	d.notified_how = (const char *)sqlite3_column_text(st, 8);
	rc = fn(ud, &d);
	(void)sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

/* ---- export records ---------------------------------------------------- */

struct collect {
	struct hr_db        *db;
	struct db_dat_batch *b;
	struct hr_error     *err;
	int                  oom;
};

/* A copy the batch owns ("" for NULL); NULL only when out of memory. */
static const char *
own(struct collect *c, const char *s)
{
	struct db_dat_batch *b = c->b;
	char *p;

	if (b->nowned == b->capowned) {
		size_t ncap = b->capowned ? 2 * b->capowned : 64;
		char **n = realloc(b->owned, ncap * sizeof *n);

		if (n == NULL) {
			c->oom = 1;
			return NULL;
		}
		b->owned = n;
		b->capowned = ncap;
	}
	if ((p = strdup(s != NULL ? s : "")) == NULL) {
		c->oom = 1;
		return NULL;
	}
	b->owned[b->nowned++] = p;
	return p;
}

/* Allocate and remember an array the batch owns. */
static void *
own_array(struct collect *c, size_t n, size_t size)
{
	char *p = calloc(n ? n : 1, size);

	if (p == NULL || own(c, NULL) == NULL) {
		free(p);
		c->oom = 1;
		return NULL;
	}
	free(c->b->owned[c->b->nowned - 1]);
	c->b->owned[c->b->nowned - 1] = p;
	return p;
}

struct persons_out {
	struct hr_dat_person *p;
	size_t                n;
};

/* One person of the application's own copy (application_persons.h). */
static int
person_cb(void *ud, const struct db_app_person *r)
{
	struct collect *c = ((void **)ud)[0];
	struct persons_out *out = ((void **)ud)[1];
	const struct db_person *p = &r->v.p;
	struct hr_dat_person *x;

	if (out->n == HR_DAT_MEMBERS_MAX + 1)
		return 1;
	x = &out->p[out->n++];
	x->member = r->ordinal;
	x->relation = own(c, r->relation);
	x->surname = own(c, p->surname);
	x->name = own(c, p->name);
	x->patronymic = own(c, p->patronymic);
	x->birth_date = own(c, p->birth_date);
	x->sex = p->sex == HR_SEX_FEMALE ? 'F' : 'M';
	x->rnokpp = own(c, p->rnokpp);
	x->rnokpp_refused = p->rnokpp_refused;
	x->doc_type = own(c, p->doc_type);
	x->doc_number = own(c, p->doc_number);
	x->unzr = own(c, p->unzr);
	x->reg_address = own(c, p->reg_address);
	x->act_address = own(c, p->act_address);
	return c->oom ? -1 : 0;
}

/*
 * The applicant and family as the application carries them: what was
 * saved, checked and is now exported, whatever the base says since.
 */
static int
collect_persons(struct collect *c, const struct db_app *a,
    struct hr_dat_app *x)
{
	struct persons_out out = { NULL, 0 };
	void *args[2] = { c, &out };

	if ((out.p = own_array(c, HR_DAT_MEMBERS_MAX + 1, sizeof *out.p)) == NULL)
		return hr_error_set(c->err, HR_E_INTERNAL, "out of memory");
	if (db_app_persons_each(c->db, a->id, person_cb, args, c->err) < 0)
		return c->oom ? hr_error_set(c->err, HR_E_INTERNAL, "out of "
		    "memory") : -1;
	if (out.n == 0 || out.p[0].member != 0)
		return hr_error_set(c->err, HR_E_INTERNAL, "application %s has "
		    "no applicant", a->reg_no ? a->reg_no : "(draft)");
	x->persons = out.p;
	x->npersons = out.n;
	return 0;
}

struct incomes {
	struct collect       *c;
	struct hr_dat_income  r[HR_DAT_INCOME_MAX];
	size_t                n;
};

static int
income_cb(void *ud, const struct db_income *r)
{
	struct incomes *in = ud;
	struct hr_dat_income *x;

	if (in->n == HR_DAT_INCOME_MAX)
		return 1;
	x = &in->r[in->n++];
	x->member = r->member;
	x->type = own(in->c, r->type);
	x->period_from = own(in->c, r->period_from);
	x->period_to = own(in->c, r->period_to);
	x->amount = r->amount;
	return in->c->oom ? -1 : 0;
}

static int
collect_income(struct collect *c, int64_t app_id, struct hr_dat_app *x)
{
	struct incomes *in = calloc(1, sizeof *in);
	struct hr_dat_income *r;
	int rc = -1;

	if (in == NULL)
		return hr_error_set(c->err, HR_E_INTERNAL, "out of memory");
	in->c = c;
	if (db_app_income_each(c->db, app_id, income_cb, in, c->err) == 0 &&
	    (r = own_array(c, in->n, sizeof *r)) != NULL) {
		memcpy(r, in->r, in->n * sizeof *r);
		x->income = r;
		x->nincome = in->n;
		rc = 0;
	} else if (c->oom)
		hr_error_set(c->err, HR_E_INTERNAL, "out of memory");
	free(in);
	return rc;
}

struct scans {
	struct collect     *c;
	struct hr_dat_scan *r;
	size_t              n, cap;
};

static int
scan_cb(void *ud, const struct db_attachment *t)
{
	struct scans *sc = ud;
	struct hr_dat_scan *x;
	char hex[HR_FILE_HASH_HEX];

	if (sc->n == HR_DAT_SCANS_MAX)
		return 1;
	if (sc->n == sc->cap) {
		size_t ncap = sc->cap ? 2 * sc->cap : 16;
		struct hr_dat_scan *n = realloc(sc->r, ncap * sizeof *n);

		if (n == NULL) {
			sc->c->oom = 1;
			return -1;
		}
		sc->r = n;
		sc->cap = ncap;
	}
	x = &sc->r[sc->n++];
	hr_filehash_hex(t->hash, hex);
	x->doc = own(sc->c, t->doc_code);
	x->type = own(sc->c, t->type);
	x->size = t->size;
	x->hash = own(sc->c, hex);
	return sc->c->oom ? -1 : 0;
}

/* The application's attached files: S lines, by document in the
 * service's order, pages in the order attached. */
static int
collect_scans(struct collect *c, int64_t app_id, struct hr_dat_app *x)
{
	struct scans sc = { c, NULL, 0, 0 };
	struct hr_dat_scan *r;
	int rc = -1;

	if (db_attachments_each(c->db, app_id, scan_cb, &sc, c->err) == 0 &&
	    (r = own_array(c, sc.n, sizeof *r)) != NULL) {
		if (sc.n > 0)
			memcpy(r, sc.r, sc.n * sizeof *r);
		x->scans = r;
		x->nscans = sc.n;
		rc = 0;
	} else if (c->oom)
		hr_error_set(c->err, HR_E_INTERNAL, "out of memory");
	free(sc.r);
	return rc;
}

static int
collect_app(struct collect *c, int64_t id, size_t i)
{
	struct hr_dat_app *x = &c->b->apps[i];
	struct db_app a;
	int rc;

	if (db_app_get(c->db, id, &a, c->err) < 0)
		return -1;
	c->b->versions[i] = a.version;
	x->id = a.id;
	x->reg_no = own(c, a.reg_no);
	x->service = own(c, a.service);
	x->pay_method = own(c, a.pay_method);
	x->iban = own(c, a.iban);
	x->post_office = own(c, a.post_office);
	x->phone = own(c, a.phone);
	rc = c->oom ? hr_error_set(c->err, HR_E_INTERNAL, "out of memory") : 0;
	if (rc == 0)
		rc = collect_persons(c, &a, x);
	if (rc == 0)
		rc = collect_income(c, a.id, x);
	if (rc == 0)
		rc = collect_scans(c, a.id, x);
	db_app_free(&a);
	return rc;
}

/* The ids, oldest first, and how many more there are: from the index of
 * checked applications alone (025_dat_checked), no row read. */
static int
checked_ids(struct hr_db *db, int64_t spszn_id, const char *system,
    size_t max, int64_t *ids, size_t *n, size_t *more, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT a.id FROM applications a "
	    "INDEXED BY applications_checked WHERE a.spszn_id = ?1 AND "
	    "a.status = 'checked' AND a.service_code IN (SELECT code FROM "
	    "services WHERE system = ?2) ORDER BY a.id", err);
	int rc;

	*n = *more = 0;
	if (st == NULL || db_bindf(db, st, "list checked applications", err,
	    "it", spszn_id, system) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "list checked applications",
	    err)) == 1) {
		if (*n < max)
			ids[(*n)++] = sqlite3_column_int64(st, 0);
		else
			(*more)++;
	}
	return rc;
}

/* The records of ids[0..n) into out (allocated for n). */
static int
collect_ids(struct hr_db *db, const int64_t *ids, size_t n,
    struct db_dat_batch *out, struct hr_error *err)
{
	struct collect c = { db, out, err, 0 };
	int rc = 0;

	out->napps = n;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = collect_app(&c, ids[i], i);
	return rc;
}

static int
batch_alloc(struct db_dat_batch *out, size_t max, struct hr_error *err)
{
	memset(out, 0, sizeof *out);
	out->apps = calloc(max ? max : 1, sizeof *out->apps);
	out->versions = calloc(max ? max : 1, sizeof *out->versions);
	if (out->apps == NULL || out->versions == NULL) {
		db_dat_batch_free(out);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	return 0;
}

int
db_dat_batch_collect(struct hr_db *db, int64_t spszn_id, const char *system,
    size_t max, struct db_dat_batch *out, struct hr_error *err)
{
	int64_t *ids = calloc(max ? max : 1, sizeof *ids);
	size_t n;
	int rc = -1;

	if (ids == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (batch_alloc(out, max, err) == 0 && checked_ids(db, spszn_id,
	    system, max, ids, &n, &out->remaining, err) == 0)
		rc = collect_ids(db, ids, n, out, err);
	free(ids);
	if (rc < 0)
		db_dat_batch_free(out);
	return rc;
}

int
db_dat_batch_collect_ids(struct hr_db *db, const int64_t *ids, size_t n,
    struct db_dat_batch *out, struct hr_error *err)
{
	int rc = -1;

	if (batch_alloc(out, n, err) == 0)
		rc = collect_ids(db, ids, n, out, err);
	if (rc < 0)
		db_dat_batch_free(out);
	return rc;
}

void
db_dat_batch_free(struct db_dat_batch *b)
{
	for (size_t i = 0; i < b->nowned; i++)
		free(b->owned[i]);
	free(b->owned);
	free(b->apps);
	free(b->versions);
	memset(b, 0, sizeof *b);
}
