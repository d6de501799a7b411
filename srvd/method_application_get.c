/*
 * method_application_get.c — `application.get`: one application with
 * everything the form and the case screen show — applicant, family,
 * income, documents and what is missing, payment, history — plus the
 * workflow actions this user may apply now and whether they may edit.
 *
 * An answered application carries the decision imported from the
 * decision system's *.DAT answer (`decision`, srvd/dat.c).
 *
 * Lean for slow links (PROTOCOL.md "application.get"): only the fields
 * that have a value, no names the client has in its reference data,
 * family members registered at the applicant's address marked so instead
 * of repeating it, the history as arrays with each user named once; and
 * revalidated by etag (revalidate.h).
 *
 * Visible only in scope and in a status the role sees (intake_app_load);
 * otherwise HR_E_NOT_FOUND as for an id that does not exist.  Audited
 * ("application.read", marked "prefetch" when the client fetched it ahead
 * of the user).
 */
#include "srvd/method_table.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/application_persons.h"
#include "db/calendar.h"
#include "db/deadlines.h"
#include "proto/app_fields.h"
#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/workflow.h"
#include "srvd/app_echo.h"
#include "srvd/dat.h"
#include "srvd/intake.h"
#include "srvd/request_audit.h"
#include "srvd/revalidate.h"
#include "srvd/session.h"
#include "srvd/upload.h"

enum { P_ID, P_ETAG, P_PREFETCH, P__COUNT };

static const struct hr_field fields[P__COUNT] = {
	[P_ID]       = { "id",       HR_F_INT,  HR_F_REQUIRED, 1, INT64_MAX },
	[P_ETAG]     = { "etag",     HR_F_INT,  HR_F_NULLABLE, 1, INT64_MAX },
	[P_PREFETCH] = { "prefetch", HR_F_BOOL, HR_F_NULLABLE, 0, 0 },
};
const struct hr_schema method_application_get_params = { fields, P__COUNT, 0 };

/* The keys of the application's fields (proto/app_fields.h). */
#define SKEY(f) HR_KEY(hr_save_fields, f)
#define IKEY(f) HR_KEY(hr_income_fields, f)
#define YKEY(f) HR_KEY(hr_payment_fields, f)

/* "key": value when the value is set (lean: absent means nil/empty). */
static uint32_t
kv_str_set(msgpack_packer *pk, const char *key, const char *val)
{
	if (val == NULL || val[0] == '\0')
		return 0;
	hr_pack_kv_str(pk, key, val);
	return 1;
}

/* ---- the application's persons, and what the base says since ---- */

struct persons_pack {
	struct srv_req     *rq;
	int                 offer;         /* compare with the base */
	msgpack_sbuffer     applicant;     /* the applicant's map */
	msgpack_packer      apk;
	struct intake_list  family;
	struct intake_list *base;          /* base_changed entries */
	const struct db_app_person *row;   /* during base_cb */
	char               *reg;           /* the applicant's reg_address */
	int                 oom;
};

/* One field that differs: {field, application, base}. */
static void
pack_differ(struct intake_list *l, const char *field, const char *app,
    const char *base)
{
	msgpack_pack_map(&l->pk, 3);
	hr_pack_kv_str(&l->pk, "field", field);
	hr_pack_kv_str(&l->pk, "application", app);
	hr_pack_kv_str(&l->pk, "base", base);
	l->n++;
}

static int
same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The base's record of the row's person against the application's copy. */
static int
base_cb(void *ud, const struct db_person_view *v)
{
	struct persons_pack *pp = ud;
	const struct db_app_person *r = pp->row;
	const struct db_person *a = &r->v.p, *b = &v->p;
	struct intake_list differ;
	char who[32];

	if (v->version <= r->base_version)
		return 0;
	intake_list_init(&differ);
	for (int f = 0; f < HR_PF_ID; f++)
		if (!same_text(intake_person_value(a, f),
		    intake_person_value(b, f)))
			pack_differ(&differ, hr_person_fields[f].wire.name,
			    intake_person_value(a, f), intake_person_value(b, f));
	if (differ.n == 0) {
		intake_list_destroy(&differ);
		return 0;
	}
	if (r->ordinal == 0)
		snprintf(who, sizeof who, "applicant");
	else
		snprintf(who, sizeof who, "family[%d]", r->ordinal);
	msgpack_pack_map(&pp->base->pk, 4);
	hr_pack_kv_str(&pp->base->pk, "person", who);
	hr_pack_kv_int(&pp->base->pk, "id", v->id);
	hr_pack_kv_int(&pp->base->pk, "version", v->version);
	intake_list_flush(&differ, &pp->base->pk, "fields");
	pp->base->n++;
	return 0;
}

static int
person_row_cb(void *ud, const struct db_app_person *r)
{
	struct persons_pack *pp = ud;
	struct hr_error e;

	/* The applicant comes first: members at its address say reg_same. */
	if (r->ordinal == 0) {
		intake_pack_person_lean(&pp->apk, &r->v, NULL, NULL);
		if (r->v.p.reg_address != NULL && pp->reg == NULL &&
		    (pp->reg = strdup(r->v.p.reg_address)) == NULL)
			pp->oom = 1;
	} else {
		intake_pack_person_lean(&pp->family.pk, &r->v, r->relation,
		    pp->reg);
		pp->family.n++;
	}
	if (!pp->offer)
		return 0;
	pp->row = r;
	hr_error_clear(&e);
	/* A person gone from the base has nothing to offer. */
	if (db_person_get(pp->rq->db, r->v.id, base_cb, pp, &e) < 0 &&
	    e.code != HR_E_NOT_FOUND)
		return 1;
	return 0;
}

/*
 * "applicant" and "family" (when there is one) from the application's own
 * copy, lean; with `offer` (a draft or returned application its user may
 * edit), *base_changed gets the persons whose record in the base moved on
 * since the copy was saved and differs from it — packed by the caller
 * with its key.  The count of pairs packed (1 or 2), or -1.
 */
static int
pack_persons(struct srv_req *rq, const struct db_app *a, int offer,
    struct intake_list *base_changed, struct hr_error *err)
{
	struct persons_pack pp;
	int rc;

	assert(rq->app_seen == a->id);          /* scope checked first */
	memset(&pp, 0, sizeof pp);
	pp.rq = rq;
	pp.offer = offer;
	msgpack_sbuffer_init(&pp.applicant);
	msgpack_packer_init(&pp.apk, &pp.applicant, msgpack_sbuffer_write);
	intake_list_init(&pp.family);
	pp.base = base_changed;
	rc = db_app_persons_each(rq->db, a->id, person_row_cb, &pp, err);
	if (rc == 0 && pp.oom)
		rc = hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (rc == 0 && pp.applicant.size == 0)
		rc = hr_error_set(err, HR_E_INTERNAL, "application %lld has no "
		    "applicant", (long long)a->id);
	if (rc == 0) {
		hr_pack_str(rq->pk, SKEY(HR_SF_APPLICANT));
		rq->pk->callback(rq->pk->data, pp.applicant.data,
		    pp.applicant.size);
		rc = 1;
		if (pp.family.n > 0) {
			intake_list_flush(&pp.family, rq->pk,
			    SKEY(HR_SF_FAMILY));
			rc = 2;
		}
	}
	msgpack_sbuffer_destroy(&pp.applicant);
	intake_list_destroy(&pp.family);
	free(pp.reg);
	return rc;
}

static int
income_cb(void *ud, const struct db_income *r)
{
	struct intake_list *l = ud;

	msgpack_pack_map(&l->pk, HR_IF__COUNT);
	hr_pack_kv_int(&l->pk, IKEY(HR_IF_MEMBER), r->member);
	hr_pack_kv_str(&l->pk, IKEY(HR_IF_TYPE), r->type);
	hr_pack_kv_str(&l->pk, IKEY(HR_IF_FROM), r->period_from);
	hr_pack_kv_str(&l->pk, IKEY(HR_IF_TO), r->period_to);
	hr_pack_kv_int(&l->pk, IKEY(HR_IF_AMOUNT), r->amount);
	l->n++;
	return 0;
}

static int
code_cb(void *ud, const char *code)
{
	struct intake_list *l = ud;

	hr_pack_str(&l->pk, code);
	l->n++;
	return 0;
}

enum part { PART_INCOME, PART_DOCUMENTS, PART_MISSING };

static int
read_part(struct hr_db *db, enum part which, int64_t id,
    struct intake_list *l, struct hr_error *err)
{
	switch (which) {
	case PART_INCOME:
		return db_app_income_each(db, id, income_cb, l, err);
	case PART_DOCUMENTS:
		return db_app_documents_each(db, id, code_cb, l, err);
	case PART_MISSING:
		return db_app_missing_each(db, id, code_cb, l, err);
	}
	return hr_error_set(err, HR_E_INTERNAL, "unknown application part");
}

/* "key": [...] from one of the application_parts readers; nothing when
 * there is nothing.  1 when packed, 0 when empty, -1 on error. */
static int
pack_part(struct srv_req *rq, const char *key, enum part which, int64_t id,
    struct hr_error *err)
{
	struct intake_list l;

	assert(rq->app_seen == id);             /* scope checked first */
	intake_list_init(&l);
	if (read_part(rq->db, which, id, &l, err) < 0) {
		intake_list_destroy(&l);
		return -1;
	}
	if (l.n == 0) {
		intake_list_destroy(&l);
		return 0;
	}
	intake_list_flush(&l, rq->pk, key);
	return 1;
}

static uint32_t
pack_payment(msgpack_packer *pk, const struct db_app *a)
{
	uint32_t n = (a->pay_method != NULL && a->pay_method[0] != '\0') +
	    (a->iban != NULL && a->iban[0] != '\0') +
	    (a->post_office != NULL && a->post_office[0] != '\0');

	if (n == 0)
		return 0;
	hr_pack_str(pk, SKEY(HR_SF_PAYMENT));
	msgpack_pack_map(pk, n);
	kv_str_set(pk, YKEY(HR_YF_METHOD), a->pay_method);
	kv_str_set(pk, YKEY(HR_YF_IBAN), a->iban);
	kv_str_set(pk, YKEY(HR_YF_POST), a->post_office);
	return 1;
}

static int
attachment_cb(void *ud, const struct db_attachment *a)
{
	struct intake_list *l = ud;

	upload_pack_attachment(&l->pk, a);
	l->n++;
	return 0;
}

/* "attachments": [...] — the scans, by document in the service's order;
 * left out when there are none (1 when packed, 0 when not, -1). */
static int
pack_attachments(struct srv_req *rq, int64_t id, struct hr_error *err)
{
	struct intake_list l;

	intake_list_init(&l);
	if (db_attachments_each(rq->db, id, attachment_cb, &l, err) < 0) {
		intake_list_destroy(&l);
		return -1;
	}
	if (l.n == 0) {
		intake_list_destroy(&l);
		return 0;
	}
	intake_list_flush(&l, rq->pk, "attachments");
	return 1;
}

/*
 * app_lean (PROTOCOL.md "application.get"): the fields with a value, no
 * names the reference data has.  The map is packed apart: its size is
 * known only at the end.
 */
static int
pack_application(struct srv_req *rq, const struct db_app *a, int offer,
    struct intake_list *base_changed, struct hr_error *err)
{
	const char *const key[] = { SKEY(HR_SF_INCOME), SKEY(HR_SF_DOCUMENTS),
	    "missing" };
	msgpack_packer *out = rq->pk;
	struct intake_list m;
	int rc = 0, k;

	intake_list_init(&m);
	rq->pk = &m.pk;
	hr_pack_kv_int(&m.pk, SKEY(HR_SF_ID), a->id);
	hr_pack_kv_str(&m.pk, "status", hr_status_name(a->status));
	hr_pack_kv_str(&m.pk, SKEY(HR_SF_SERVICE), a->service);
	hr_pack_kv_int(&m.pk, SKEY(HR_SF_VERSION), a->version);
	hr_pack_kv_int(&m.pk, "created_at", a->created_at);
	hr_pack_kv_int(&m.pk, "updated_at", a->updated_at);
	hr_pack_kv_int(&m.pk, "front_office_id", a->front_office_id);
	m.n = 7 + kv_str_set(&m.pk, "reg_no", a->reg_no);
	if ((k = pack_persons(rq, a, offer, base_changed, err)) < 0)
		rc = -1;
	else
		m.n += (uint32_t)k;
	for (int part = PART_INCOME; rc == 0 && part <= PART_MISSING; part++) {
		if ((k = pack_part(rq, key[part], part, a->id, err)) < 0)
			rc = -1;
		else
			m.n += (uint32_t)k;
	}
	if (rc == 0 && (k = pack_attachments(rq, a->id, err)) < 0)
		rc = -1;
	else if (rc == 0)
		m.n += (uint32_t)k;
	rq->pk = out;
	if (rc < 0) {
		intake_list_destroy(&m);
		return -1;
	}
	if (a->package_full) {
		hr_pack_kv_bool(&m.pk, "package_full", 1);
		m.n++;
	}
	m.n += pack_payment(&m.pk, a);
	m.n += kv_str_set(&m.pk, SKEY(HR_SF_PHONE), a->phone);
	m.n += kv_str_set(&m.pk, SKEY(HR_SF_NOTES), a->notes);
	m.n += kv_str_set(&m.pk, "last_reason", a->last_reason);
	hr_pack_str(out, "application");
	msgpack_pack_map(out, m.n);
	out->callback(out->data, m.sb.data, m.sb.size);
	intake_list_destroy(&m);
	return 0;
}

/* ---- the clocks (issue 17) ---- */

static void
pack_day(msgpack_packer *pk, int32_t day)
{
	struct hr_date d;
	char iso[16];

	if (hr_date_from_days(day, &d) < 0) {
		msgpack_pack_nil(pk);
		return;
	}
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.y, d.m, d.d);
	hr_pack_str(pk, iso);
}

struct clock_list {
	struct intake_list l;
	struct db_clock    run;          /* the running one, if any */
	int                running;
};

static int
clock_cb(void *ud, const struct db_clock *c)
{
	struct clock_list *cl = ud;
	msgpack_packer *pk = &cl->l.pk;

	/* [stage, office id, days, started_at, due date, stopped_at,
	 * late_days] — the last two nil while it runs */
	msgpack_pack_array(pk, 7);
	hr_pack_str(pk, hr_stage_name(c->stage));
	msgpack_pack_int64(pk, c->office_id);
	msgpack_pack_int(pk, c->days);
	msgpack_pack_int64(pk, c->started_at);
	pack_day(pk, c->due_day);
	if (c->stopped_at) {
		msgpack_pack_int64(pk, c->stopped_at);
		msgpack_pack_int(pk, c->late_days);
	} else {
		msgpack_pack_nil(pk);
		msgpack_pack_nil(pk);
		cl->run = *c;
		cl->running = 1;
	}
	cl->l.n++;
	return 0;
}

/*
 * "clock": {stage, days, due, left, state} of the running clock (absent
 * once answered) and "clocks": every stage the case has been in.  2 pairs
 * packed, or -1.
 */
static int
pack_clocks(struct srv_req *rq, const struct db_app *a, struct hr_error *err)
{
	struct clock_list cl;
	struct hr_workcal cal;
	int32_t today = db_today();
	int32_t warn;

	memset(&cl, 0, sizeof cl);
	intake_list_init(&cl.l);
	if (db_deadline_clocks(rq->db, a->id, clock_cb, &cl, err) < 0 ||
	    db_calendar_load(rq->db, &cal, err) < 0) {
		intake_list_destroy(&cl.l);
		return -1;
	}
	hr_pack_str(rq->pk, "clock");
	if (!cl.running || hr_status_stage(a->status) == HR_STAGE_NONE) {
		msgpack_pack_nil(rq->pk);
	} else {
		/* the amber day as the journal stores it (db/workdays.h) */
		warn = hr_workday_add(&cal, cl.run.start_day, cl.run.days -
		    cl.run.days / 4);
		msgpack_pack_map(rq->pk, 5);
		hr_pack_kv_str(rq->pk, "stage", hr_stage_name(cl.run.stage));
		hr_pack_kv_int(rq->pk, "days", cl.run.days);
		hr_pack_str(rq->pk, "due");
		pack_day(rq->pk, cl.run.due_day);
		hr_pack_kv_int(rq->pk, "left", hr_clock_left(&cal, today,
		    cl.run.due_day));
		hr_pack_kv_int(rq->pk, "state", (int)hr_clock_state(today,
		    cl.run.due_day, warn));
	}
	hr_workcal_free(&cal);
	intake_list_flush(&cl.l, rq->pk, "clocks");
	return 0;
}

/* ---- history, with what each edit changed ---- */

/* The changes of the application, packed per history row beforehand. */
struct change_rows {
	int64_t            *hist;     /* history row ids, ascending */
	struct intake_list *list;     /* their changes */
	size_t              n, cap;
	int                 oom;
};

static int
change_cb(void *ud, int64_t history_id, const struct db_change *c)
{
	struct change_rows *cr = ud;
	struct intake_list *l;

	if (cr->n == 0 || cr->hist[cr->n - 1] != history_id) {
		if (cr->n == cr->cap) {
			size_t cap = cr->cap ? cr->cap * 2 : 8;
			int64_t *h = realloc(cr->hist, cap * sizeof *h);
			struct intake_list *g;

			if (h == NULL) {
				cr->oom = 1;
				return 1;
			}
			cr->hist = h;
			if ((g = realloc(cr->list, cap * sizeof *g)) == NULL) {
				cr->oom = 1;
				return 1;
			}
			cr->list = g;
			cr->cap = cap;
		}
		cr->hist[cr->n] = history_id;
		intake_list_init(&cr->list[cr->n]);
		cr->n++;
	}
	l = &cr->list[cr->n - 1];
	/* The packer points into its own buffer: re-aim it after a move. */
	msgpack_packer_init(&l->pk, &l->sb, msgpack_sbuffer_write);
	msgpack_pack_map(&l->pk, 3);
	hr_pack_kv_str(&l->pk, "field", c->field);
	hr_pack_kv_str(&l->pk, "old", c->old);
	hr_pack_kv_str(&l->pk, "new", c->new);
	l->n++;
	return 0;
}

static void
change_rows_free(struct change_rows *cr)
{
	for (size_t i = 0; i < cr->n; i++)
		intake_list_destroy(&cr->list[i]);
	free(cr->list);
	free(cr->hist);
}

/*
 * The history as arrays [at, user, from, to, comment, changes, event]
 * with the statuses as codes, the last three only when there is
 * something (comment nil when only changes or an event, changes nil when
 * only an event), and each user once in `users` ([login, full name]); the
 * user ids met so far give their index.
 */
#define HISTORY_USERS_MAX 64

struct history_pack {
	struct intake_list  list, users;
	int64_t             uid[HISTORY_USERS_MAX];
	struct change_rows *changes;
	size_t              next;       /* next change row to match */
};

/* "missing": the codes of a partial package's detail ("a b c"). */
static void
pack_codes(msgpack_packer *pk, const char *list)
{
	uint32_t n = 0;

	for (const char *p = list; *p != '\0'; p += strspn(p, " "))
		if (*p != ' ') {
			n++;
			p += strcspn(p, " ");
		}
	hr_pack_str(pk, "missing");
	msgpack_pack_array(pk, n);
	for (const char *p = list + strspn(list, " "); *p != '\0';
	    p += strspn(p, " ")) {
		size_t k = strcspn(p, " ");

		msgpack_pack_str(pk, k);
		msgpack_pack_str_body(pk, p, k);
		p += k;
	}
}

/*
 * The event of a history row: {kind: "attach"|"detach", document, size,
 * type, name} from the detail "DOC|SIZE|TYPE|NAME" (db/attachments.c), or
 * {kind: "partial", missing: [codes]}.
 */
static void
pack_event(msgpack_packer *pk, const char *kind, const char *detail)
{
	const char *d = detail ? detail : "", *f[4];
	size_t len[4];

	if (strcmp(kind, "partial") == 0) {
		msgpack_pack_map(pk, 2);
		hr_pack_kv_str(pk, "kind", kind);
		pack_codes(pk, d);
		return;
	}
	for (int i = 0; i < 4; i++) {
		f[i] = d;
		len[i] = i < 3 ? strcspn(d, "|") : strlen(d);
		d += len[i] + (d[len[i]] == '|');
	}
	msgpack_pack_map(pk, 5);
	hr_pack_kv_str(pk, "kind", kind);
	hr_pack_str(pk, "document");
	msgpack_pack_str(pk, len[0]);
	msgpack_pack_str_body(pk, f[0], len[0]);
	hr_pack_kv_int(pk, "size", strtoll(f[1], NULL, 10));
	hr_pack_str(pk, "type");
	msgpack_pack_str(pk, len[2]);
	msgpack_pack_str_body(pk, f[2], len[2]);
	hr_pack_str(pk, "name");
	msgpack_pack_str(pk, len[3]);
	msgpack_pack_str_body(pk, f[3], len[3]);
}

static int
history_cb(void *ud, const struct db_app_history *h)
{
	struct history_pack *hp = ud;
	struct intake_list *l = &hp->list;
	struct change_rows *cr = hp->changes;
	int has = hp->next < cr->n && cr->hist[hp->next] == h->id;
	int comment = h->comment != NULL && h->comment[0] != '\0';
	int from = h->from ? hr_status_from_name(h->from) : -1;
	int ev = h->event != NULL;
	uint32_t u;

	for (u = 0; u < hp->users.n && hp->uid[u] != h->user_id; u++)
		;
	if (u == hp->users.n && u < HISTORY_USERS_MAX) {
		hp->uid[u] = h->user_id;
		msgpack_pack_array(&hp->users.pk, 2);
		hr_pack_str(&hp->users.pk, h->user);
		hr_pack_str(&hp->users.pk, h->full_name);
		hp->users.n++;
	}
	msgpack_pack_array(&l->pk, ev ? 7 : has ? 6 : comment ? 5 : 4);
	msgpack_pack_int64(&l->pk, h->at);
	if (u < HISTORY_USERS_MAX)
		msgpack_pack_uint32(&l->pk, u);
	else
		msgpack_pack_nil(&l->pk);        /* more users than anyone has */
	if (from >= 0)
		msgpack_pack_int(&l->pk, from);
	else
		msgpack_pack_nil(&l->pk);
	msgpack_pack_int(&l->pk, hr_status_from_name(h->to));
	if (ev || has || comment)
		hr_pack_str(&l->pk, comment ? h->comment : NULL);
	if (has) {
		struct intake_list *c = &cr->list[hp->next++];

		msgpack_packer_init(&c->pk, &c->sb, msgpack_sbuffer_write);
		msgpack_pack_array(&l->pk, c->n);
		if (c->sb.size > 0)
			l->pk.callback(l->pk.data, c->sb.data, c->sb.size);
	} else if (ev) {
		msgpack_pack_nil(&l->pk);
	}
	if (ev)
		pack_event(&l->pk, h->event, h->detail);
	l->n++;
	return 0;
}

static int
pack_history(struct srv_req *rq, int64_t id, struct hr_error *err)
{
	struct change_rows cr;
	struct history_pack hp;
	int rc;

	assert(rq->app_seen == id);             /* scope checked first */
	memset(&cr, 0, sizeof cr);
	memset(&hp, 0, sizeof hp);
	hp.changes = &cr;
	rc = db_app_changes_each(rq->db, id, change_cb, &cr, err);
	if (rc < 0 && cr.oom)
		rc = hr_error_set(err, HR_E_INTERNAL, "out of memory");
	intake_list_init(&hp.list);
	intake_list_init(&hp.users);
	if (rc == 0)
		rc = db_app_history_each(rq->db, id, history_cb, &hp, err);
	if (rc == 0) {
		intake_list_flush(&hp.list, rq->pk, "history");
		intake_list_flush(&hp.users, rq->pk, "users");
	}
	intake_list_destroy(&hp.list);
	intake_list_destroy(&hp.users);
	change_rows_free(&cr);
	return rc;
}

/*
 * The workflow rows this role may apply from the current status, once
 * each; export and answer come with the *.DAT exchange, not a transition.
 */
static void
pack_actions(msgpack_packer *pk, int status, int role)
{
	const char *names[HR_ACT__COUNT];
	uint32_t n = 0;

	for (int act = 0; act < HR_ACT__COUNT; act++)
		if (act != HR_ACT_EXPORT && act != HR_ACT_ANSWER &&
		    hr_workflow_find(status, act, role) != NULL)
			names[n++] = hr_action_name(act);
	hr_pack_str(pk, "actions");
	msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		hr_pack_str(pk, names[i]);
}

/*
 * The result goes into a revalidation buffer (its etag is the hash of it;
 * base_changed, known only after the application, goes last), then the
 * reply: all of it, or {etag, unchanged} for a client that holds it.
 * Audited as a read with `why` after the number; not with NULL.
 */
static int
get_reply(struct srv_req *rq, const struct db_app *a, int64_t known,
    const char *why, struct hr_error *err)
{
	struct intake_list base;
	struct revalidate rv;
	msgpack_packer *top = rq->pk;
	int role = rq->sess->role, decided = 0, rc = 0;
	int editable = hr_workflow_can_edit(a->status, role);
	char object[32], detail[64];

	if (a->status == HR_ST_ANSWERED &&
	    dat_decision(rq, a->id, 0, &decided, err) < 0)
		return -1;
	intake_list_init(&base);
	revalidate_init(&rv);
	rq->pk = &rv.pk;
	rc = pack_application(rq, a, editable, &base, err);
	if (rc == 0 && decided)
		rc = dat_decision(rq, a->id, 1, &decided, err);
	if (rc == 0)
		rc = pack_history(rq, a->id, err);
	if (rc == 0)
		rc = pack_clocks(rq, a, err);
	rv.pairs = 7 + decided + (base.n > 0);
	if (rc == 0) {
		pack_actions(rq->pk, a->status, role);
		hr_pack_kv_bool(rq->pk, "editable", editable);
		if (base.n > 0)
			intake_list_flush(&base, rq->pk, "base_changed");
	}
	rq->pk = top;
	if (rc == 0)
		revalidate_finish(&rv, top, known);
	else
		msgpack_sbuffer_destroy(&rv.sb);
	intake_list_destroy(&base);
	if (rc < 0)
		return -1;
	if (why == NULL)
		return 0;                /* audited by the caller */
	snprintf(object, sizeof object, "application:%lld", (long long)a->id);
	snprintf(detail, sizeof detail, "%s%s", a->reg_no ? a->reg_no : "",
	    why);
	return srv_audit(rq, "application.read", object, detail, err);
}

int
method_application_get(struct srv_req *rq, struct hr_error *err)
{
	struct db_app a;
	int rc;

	if (intake_app_load(rq, hr_val_int(rq->vals[P_ID], 0), &a, err) < 0)
		return -1;
	rc = get_reply(rq, &a, hr_val_int(rq->vals[P_ETAG], 0),
	    hr_val_bool(rq->vals[P_PREFETCH], 0) ? " (prefetch)" : "", err);
	db_app_free(&a);
	return rc;
}

int
application_case(struct srv_req *rq, int64_t id, msgpack_packer *out,
    int audit, struct hr_error *err)
{
	msgpack_packer *top = rq->pk;
	struct db_app a;
	int rc;

	if (intake_app_load(rq, id, &a, err) < 0)
		return -1;
	rq->pk = out;
	rc = get_reply(rq, &a, 0, audit ? " (saved)" : NULL, err);
	rq->pk = top;
	db_app_free(&a);
	return rc;
}
