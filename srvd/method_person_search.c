/*
 * method_person_search.c — `person.search`: find a recipient in the
 * central base to pre-fill the form (DOMAIN.md "What an application
 * holds"): by РНОКПП (exact), identity document number (exact, canonical
 * form) or the start of the folded "surname name patronymic".  Each is one
 * index range (db_person_search), so a page costs the same with 5,000,000
 * persons as with 5,000.
 *
 * A person may apply in any front office, so a lookup by an identifier is
 * national; a lookup by name finds only the persons of the user's oblast
 * (registration or actual address, or an application of it: migration
 * 015), so that nobody can page through the country by typing surnames.
 * An РНОКПП typed with blanks or non-ASCII digits is the number it is
 * (hr_query_kind), never a name.  The list says only what picks the right
 * person — name, birth date, settlement; person.get opens one.  Every call
 * is audited ("person.search": the rows returned, and the query masked to
 * its last 4 characters unless it is a name without digits).
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/app_fields.h"
#include "proto/fold.h"
#include "proto/ident.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/intake.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

/* A found person's keys, a person's fields (proto/app_fields.h). */
#define K_PERSON(f) HR_KEY(hr_person_fields, HR_PF_##f)

enum { P_Q, P_LIMIT };

static const struct hr_field fields[] = {
	[P_Q]     = { "q",     HR_F_STR, HR_F_REQUIRED, 0, 64 },
	[P_LIMIT] = { "limit", HR_F_INT, HR_F_NULLABLE, 1, 50 },
};
const struct hr_schema method_person_search_params = { fields, 2, 0 };

#define SEARCH_DEFAULT_LIMIT 10
#define AUDIT_IDS_MAX        (50 * 21 + 16)

struct search {
	enum db_person_q   kind;
	char               q[HR_DOCNUM_STR_MAX + 64];   /* what is looked up */
	struct intake_list list;
	char               ids[AUDIT_IDS_MAX];
	size_t             idlen;
};

/* A document number?  Only when it parses as one (canonical into q). */
static int
search_as_doc(struct search *s, const char *q, size_t len)
{
	enum hr_doc_kind k = hr_docnum_guess(q, len);

	if (k == HR_DOC_UNKNOWN || hr_docnum_normalize(k, q, len, s->q,
	    sizeof s->q, NULL) < 0)
		return 0;
	s->kind = DB_PQ_DOC;
	return 1;
}

/* Which index the query goes to; -1 when it can match nobody. */
static int
search_classify(struct search *s, const char *q, size_t len)
{
	char digits[64];

	switch (hr_query_kind(q, len)) {
	case HR_QUERY_RNOKPP:
		s->kind = DB_PQ_RNOKPP;
		hr_query_digits(q, len, s->q, sizeof s->q);
		return 0;
	case HR_QUERY_DIGITS:
		/* An ID card number is nine digits. */
		hr_query_digits(q, len, digits, sizeof digits);
		return search_as_doc(s, digits, strlen(digits)) ? 0 : -1;
	case HR_QUERY_NAME:
		if (search_as_doc(s, q, len))
			return 0;
		s->kind = DB_PQ_NAME;
		snprintf(s->q, sizeof s->q, "%.*s", (int)len, q);
		return 0;
	case HR_QUERY_EMPTY:
		break;
	}
	return -1;
}

/* The settlement of a person's address — the actual one, where they
 * live, else the registration: its first part naming a settlement
 * ("с. Ходине" of "с. Ходине, вул. Козацька, 95, …"), else its first
 * part. */
static void
settlement_of(const struct db_person *p, char *out, size_t cap)
{
	static const char *const kinds[] = { "м.", "с.", "смт", "с-ще",
	    "сел.", "селище", "село", "місто" };
	const char *a = p->act_address && *p->act_address ? p->act_address :
	    p->reg_address, *part, *first = NULL;
	size_t n, firstlen = 0;

	out[0] = '\0';
	for (part = a; part != NULL && *part != '\0';
	    part = part[n] == ',' ? part + n + 1 : NULL) {
		part += strspn(part, " ");
		n = strcspn(part, ",");
		while (n > 0 && part[n - 1] == ' ')
			n--;
		if (first == NULL) {
			first = part;
			firstlen = n;
		}
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (strncmp(part, kinds[i], strlen(kinds[i])) == 0) {
				snprintf(out, cap, "%.*s", (int)n, part);
				return;
			}
		n += strcspn(part + n, ",");
	}
	if (first != NULL)
		snprintf(out, cap, "%.*s", (int)firstlen, first);
}

static int
search_row(void *ud, const struct db_person_view *v)
{
	struct search *s = ud;
	char settlement[128];
	int n;


	settlement_of(&v->p, settlement, sizeof settlement);
	msgpack_pack_map(&s->list.pk, 6);
	hr_pack_kv_int(&s->list.pk, K_PERSON(ID), v->id);
	hr_pack_kv_str(&s->list.pk, K_PERSON(SURNAME), v->p.surname);
	hr_pack_kv_str(&s->list.pk, K_PERSON(NAME), v->p.name);
	hr_pack_kv_str(&s->list.pk, K_PERSON(PATRONYMIC), v->p.patronymic);
	hr_pack_kv_str(&s->list.pk, K_PERSON(BIRTH), v->p.birth_date);
	hr_pack_kv_str(&s->list.pk, "settlement", settlement[0] ? settlement :
	    NULL);
	n = snprintf(s->ids + s->idlen, sizeof s->ids - s->idlen, "%s%lld",
	    s->list.n ? "," : " ids ", (long long)v->id);
	if (n > 0 && (size_t)n < sizeof s->ids - s->idlen)
		s->idlen += (size_t)n;
	s->list.n++;
	return 0;
}

/* Any decimal digit, of any script (they fold to ASCII)? */
static int
has_digit(const char *q)
{
	char *f = hr_fold(q, strlen(q));
	int yes = f == NULL || strpbrk(f, "0123456789") != NULL;

	free(f);
	return yes;
}

static int
search_audit(struct srv_req *rq, const struct search *s, int matched,
    struct hr_error *err)
{
	char detail[AUDIT_IDS_MAX + 160], shown[HR_DOCNUM_STR_MAX + 64];

	/* Only a name goes in clear, and only without digits: a number typed
	 * oddly is still a number. */
	if (!matched || s->kind != DB_PQ_NAME || has_digit(s->q))
		intake_mask(s->q, shown, sizeof shown);
	else
		snprintf(shown, sizeof shown, "%s", s->q);
	snprintf(detail, sizeof detail, "%u rows; by %s; q %s;%s", s->list.n,
	    !matched ? "nothing" : s->kind == DB_PQ_RNOKPP ? "РНОКПП" :
	    s->kind == DB_PQ_DOC ? "document" : "name", shown,
	    s->idlen ? s->ids : " no ids");
	return srv_audit(rq, "person.search", "persons",
	    detail, err);
}

int
method_person_search(struct srv_req *rq, struct hr_error *err)
{
	const msgpack_object *q = rq->vals[P_Q];
	struct search *s;
	int more = 0, matched, rc = 0;

	if (hr_query_kind(q->via.str.ptr, q->via.str.size) == HR_QUERY_EMPTY)
		return hr_errorf(err, HR_E_INVALID, "person_search.empty",
		    "type an РНОКПП, a document number or the start of a "
		    "surname"), hr_error_at(err, "q");
	if ((s = calloc(1, sizeof *s)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	intake_list_init(&s->list);
	matched = search_classify(s, q->via.str.ptr, q->via.str.size) == 0;
	if (matched)
		rc = db_person_search(rq->db, s->kind, s->q,
		    rq->sess->scope.oblast_id,
		    (int)hr_val_int(rq->vals[P_LIMIT], SEARCH_DEFAULT_LIMIT),
		    search_row, s, &more, err);
	if (rc == 0)
		rc = search_audit(rq, s, matched, err);
	if (rc == 0) {
		msgpack_pack_map(rq->pk, 2);
		intake_list_flush(&s->list, rq->pk, "items");
		hr_pack_kv_bool(rq->pk, "more", more);
	}
	intake_list_destroy(&s->list);
	free(s);
	return rc;
}
