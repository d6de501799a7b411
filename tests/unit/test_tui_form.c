/*
 * test_tui_form.c — the form widget (moving, editing, checks, choices,
 * buttons, scrolling) and the intake model's wire form (compact
 * application.save params: no nil values, dates as YYYY-MM-DD, canonical
 * identifiers, kopecks as integers, a typical application under 3 KB).
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/ident.h"
#include "tui/form.h"
#include "tui/errmsg.h"
#include "tui/intake/application.h"
#include "tui/mp.h"

/* ---- the form widget ---- */

static const struct key K_TAB = { 0, '\t' }, K_BTAB = { 1, KEY_BTAB },
	K_ENTER = { 0, '\r' }, K_DOWN = { 1, KEY_DOWN }, K_UP = { 1, KEY_UP },
	K_RIGHT = { 1, KEY_RIGHT }, K_DEL = { 1, KEY_DC }, K_SPACE = { 0, ' ' },
	K_ESC = { 0, 27 };

static int checks, leaves;

/* Item 1 must be "ok"; item 2 anything. */
static const char *
check_cb(void *ud, struct form *f, int id, int leaving, char *buf, size_t n)
{
	char *t;
	int ok;

	(void)ud;
	checks++;
	leaves += leaving;
	if (id != 1)
		return NULL;
	t = form_text(f, 1);
	ok = strcmp(t, "ok") == 0;
	free(t);
	snprintf(buf, n, "say ok");
	return ok ? NULL : buf;
}

static void
type(struct form *f, const char *s)
{
	for (; *s; s++) {
		struct key k = { 0, (wint_t)(unsigned char)*s };
		assert_int_equal(form_key(f, &k), FORM_USED);
	}
}

static const char *const opts[] = { "alpha", "beta", "gamma" };

static void
build(struct form *f)
{
	form_init(f, 12, check_cb, NULL);
	assert_int_equal(form_add_heading(f, -1, "Head"), 0);
	assert_int_equal(form_add_text(f, 1, "One", 20, 0, NULL), 0);
	assert_int_equal(form_add_text(f, 2, "Two", 20, 10, "pre"), 0);
	assert_int_equal(form_add_heading(f, 9, "Second"), 0);
	assert_int_equal(form_add_choice(f, 3, "Pick", opts, 3, -1), 0);
	assert_int_equal(form_add_check(f, 4, "Tick", 0), 0);
	assert_int_equal(form_add_button(f, 5, "Do it"), 0);
}

static void
test_form_moves_and_skips_headings(void **state)
{
	struct form f;

	(void)state;
	build(&f);
	assert_int_equal(form_focus_id(&f), 1);      /* not the heading */
	form_key(&f, &K_TAB);
	assert_int_equal(form_focus_id(&f), 2);
	form_key(&f, &K_DOWN);
	assert_int_equal(form_focus_id(&f), 3);      /* heading skipped */
	form_key(&f, &K_BTAB);
	assert_int_equal(form_focus_id(&f), 2);
	form_key(&f, &K_UP);
	form_key(&f, &K_UP);                         /* stays on the first */
	assert_int_equal(form_focus_id(&f), 1);
	form_key(&f, &K_ENTER);                      /* Enter in a text: next */
	assert_int_equal(form_focus_id(&f), 2);
	form_free(&f);
}

static void
test_form_checks_live_and_on_leave(void **state)
{
	struct form f;
	struct form_item *it;

	(void)state;
	build(&f);
	checks = leaves = 0;
	type(&f, "no");
	it = form_item(&f, 1);
	assert_non_null(it->error);                  /* live mark... */
	assert_int_equal(it->err_shown, 0);          /* ...message not yet */
	assert_true(f.changed);
	form_key(&f, &K_TAB);
	assert_int_equal(leaves, 1);
	assert_int_equal(it->err_shown, 1);          /* shown after leaving */
	assert_string_equal(it->error, "say ok");
	form_focus(&f, 1);
	struct key bs = { 1, KEY_BACKSPACE };
	form_key(&f, &bs);
	form_key(&f, &bs);
	type(&f, "ok");
	assert_null(it->error);                      /* fixed: gone at once */
	assert_int_equal(it->err_shown, 0);
	form_free(&f);
}

static void
test_form_check_all_focuses_first_wrong(void **state)
{
	struct form f;

	(void)state;
	build(&f);
	form_focus(&f, 5);
	assert_int_equal(form_check_all(&f), 1);
	assert_int_equal(form_focus_id(&f), 1);
	assert_true(form_item(&f, 1)->err_shown);
	form_set_text(&f, 1, "ok");
	assert_int_equal(form_check_all(&f), 0);
	form_free(&f);
}

static void
test_form_choice_check_button(void **state)
{
	struct form f;
	struct key b = { 0, 'b' }, g = { 0, 'g' };

	(void)state;
	build(&f);
	form_focus(&f, 3);
	assert_int_equal(form_choice(&f, 3), -1);
	form_key(&f, &K_RIGHT);
	assert_int_equal(form_choice(&f, 3), 0);
	form_key(&f, &b);                            /* first letter jumps */
	assert_int_equal(form_choice(&f, 3), 1);
	form_key(&f, &K_ENTER);                      /* opens the pop-up */
	assert_true(f.pop_open);
	form_key(&f, &K_DOWN);
	form_key(&f, &K_ESC);                        /* cancel keeps beta */
	assert_false(f.pop_open);
	assert_int_equal(form_choice(&f, 3), 1);
	form_key(&f, &K_SPACE);
	form_key(&f, &g);
	form_key(&f, &K_ENTER);                      /* picks gamma */
	assert_int_equal(form_choice(&f, 3), 2);
	assert_int_equal(form_focus_id(&f), 3);
	form_key(&f, &K_TAB);
	assert_int_equal(form_on(&f, 4), 0);
	form_key(&f, &K_SPACE);
	assert_int_equal(form_on(&f, 4), 1);
	form_key(&f, &K_TAB);
	assert_int_equal(form_key(&f, &K_ENTER), FORM_ACTIVATE);
	assert_int_equal(form_key(&f, &K_DEL), FORM_DELETE);
	assert_int_equal(form_key(&f, &K_ESC), FORM_UNUSED);
	assert_int_equal(form_set_label(&f, 9, "Renamed"), 0);
	form_free(&f);
}

static void
test_form_readonly(void **state)
{
	struct form f;
	char *t;

	(void)state;
	build(&f);
	f.readonly = 1;
	struct key x = { 0, 'x' };
	/* Refused, and the form says why (not silently). */
	assert_int_equal(form_key(&f, &x), FORM_USED);
	assert_non_null(form_refusal(&f));
	assert_null(form_refusal(&f));                 /* read once */
	t = form_text(&f, 1);
	assert_string_equal(t, "");
	free(t);
	form_free(&f);
}

/* Entering a filled field puts the cursor at its end: Backspace takes the
 * last character; a full field refuses more and says why; Enter ticks a
 * check box. */
static void
test_form_cursor_refusal_tick(void **state)
{
	struct form f;
	struct form_item *it;
	char *t;

	(void)state;
	build(&f);
	form_key(&f, &K_TAB);                          /* into "pre" */
	it = form_item(&f, 2);
	assert_int_equal(it->field.cur, it->field.len);
	struct key bs = { 1, KEY_BACKSPACE };
	assert_int_equal(form_key(&f, &bs), FORM_USED);
	t = form_text(&f, 2);
	assert_string_equal(t, "pr");
	free(t);
	type(&f, "012345678901234567");                /* 2 + 18 = 20: full */
	assert_null(form_refusal(&f));
	struct key more = { 0, '9' };
	assert_int_equal(form_key(&f, &more), FORM_USED);
	assert_non_null(form_refusal(&f));
	t = form_text(&f, 2);
	assert_int_equal(strlen(t), 20);
	free(t);
	form_focus(&f, 4);
	assert_int_equal(form_key(&f, &K_ENTER), FORM_USED);
	assert_true(form_on(&f, 4));
	assert_int_equal(form_focus_id(&f), 4);        /* ticked, not moved on */
	form_free(&f);
}

/* Draw into a 24-row terminal: the focus is always on screen. */
static void
test_form_scrolls_to_focus(void **state)
{
	struct form f;
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;
	int cy, cx;

	(void)state;
	setenv("TERM", "xterm", 1);
	scr = newterm(NULL, out, in);
	assert_non_null(scr);
	form_init(&f, 12, check_cb, NULL);
	for (int i = 0; i < 60; i++) {
		char l[16];
		snprintf(l, sizeof l, "F%d", i);
		assert_int_equal(form_add_text(&f, 100 + i, l, 20, 0, NULL), 0);
	}
	form_draw(&f, stdscr, 1, 0, 20, 80, &cy, &cx);
	assert_int_equal(cy, 1);
	assert_int_equal(f.page, 20);
	for (int i = 0; i < 45; i++)
		form_key(&f, &K_TAB);
	form_draw(&f, stdscr, 1, 0, 20, 80, &cy, &cx);
	assert_int_equal(form_focus_id(&f), 145);
	assert_true(cy >= 1 && cy <= 20);
	assert_int_equal(cx, 13);
	struct key pgup = { 1, KEY_PPAGE };
	form_key(&f, &pgup);
	form_draw(&f, stdscr, 1, 0, 20, 80, &cy, &cx);
	assert_true(cy >= 1 && cy <= 20);
	assert_true(form_focus_id(&f) < 145);
	form_free(&f);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

/* ---- the intake model on the wire ---- */

static void
person(struct intake_person *p, const char *rnokpp, const char *sur,
    const char *name, const char *pat, const char *birth, int sex,
    const char *doc)
{
	memset(p, 0, sizeof *p);
	intake_set(&p->f[HR_PF_RNOKPP], rnokpp);
	intake_set(&p->f[HR_PF_SURNAME], sur);
	intake_set(&p->f[HR_PF_NAME], name);
	intake_set(&p->f[HR_PF_PATRONYMIC], pat);
	intake_set(&p->f[HR_PF_BIRTH], birth);
	intake_set(&p->f[HR_PF_DOCNUM], doc);
	p->sex = sex;
	p->doc_type = doc ? (doc[0] >= '0' && doc[0] <= '9' ? HR_DOC_ID_CARD :
	    HR_DOC_PASSPORT) : 0;
}

static void
income(struct intake *in, int member, int type, const char *from,
    const char *to, int64_t amount)
{
	struct intake_income r = { member, type, NULL, NULL, amount };

	intake_set(&r.from, from);
	intake_set(&r.to, to);
	assert_int_equal(intake_income_add(in, &r), 0);
}

/* A typical application: applicant, spouse, two children, a year's
 * income of each adult by quarter, documents attached and a bank account. */
static void
typical(struct intake *in)
{
	struct intake_member m;
	static const char *const docs[] = { "passport", "rnokpp", "income",
		"family", "birth_cert", "application" };

	intake_init(in);
	intake_set(&in->service, "low_income");
	person(&in->applicant, "3652504575", "Шевченко", "Тарас", "Григорович",
	    "01.01.2000", HR_SEX_MALE, "MK123456");
	intake_set(&in->applicant.f[HR_PF_REGADDR],
	    "Вінницька обл., Березівська громада, с. Березівка, вул. Шкільна, 12");
	intake_set(&in->applicant.f[HR_PF_ACTADDR],
	    "Вінницька обл., Березівська громада, с. Березівка, вул. Шкільна, 12");
	intake_set(&in->applicant.f[HR_PF_PHONE], "067 123 45 67");
	intake_set(&in->applicant.f[HR_PF_UNZR], "20000101-00014");
	memset(&m, 0, sizeof m);
	m.relation = HR_REL_SPOUSE;
	person(&m.p, "3068208400", "Шевченко", "Оксана", "Петрівна", "02.02.1984",
	    HR_SEX_FEMALE, "123456789");
	assert_int_equal(intake_family_add(in, &m), 0);
	for (int i = 0; i < 2; i++) {
		m.relation = HR_REL_CHILD;
		person(&m.p, NULL, "Шевченко", i ? "Іван" : "Марія", "Тарасівна",
		    i ? "3.4.2015" : "05.06.2012", i ? HR_SEX_MALE : HR_SEX_FEMALE, NULL);
		assert_int_equal(intake_family_add(in, &m), 0);
	}
	for (int q = 0; q < 4; q++) {
		char from[16], to[16];
		snprintf(from, sizeof from, "01.%02d.2024", q * 3 + 1);
		snprintf(to, sizeof to, "%02d.%02d.2024", q == 0 || q == 3 ? 31 : 30,
		    q * 3 + 3);
		income(in, 0, HR_INC_SALARY, from, to, 2345678);
		income(in, 1, HR_INC_BENEFIT, from, to, 860000);
	}
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
		assert_int_equal(intake_doc_set(in, docs[i], 1), 0);
	in->pay_method = PAY_BANK;
	intake_set(&in->iban, "UA21 3996 2200 0002 6007 2335 6600 1");
	intake_set(&in->notes, "Заявниця просить повідомити телефоном.");
}

static void
no_nil(const msgpack_object *o)
{
	assert_int_not_equal(o->type, MSGPACK_OBJECT_NIL);
	if (o->type == MSGPACK_OBJECT_MAP)
		for (uint32_t i = 0; i < o->via.map.size; i++)
			no_nil(&o->via.map.ptr[i].val);
	if (o->type == MSGPACK_OBJECT_ARRAY)
		for (uint32_t i = 0; i < o->via.array.size; i++)
			no_nil(&o->via.array.ptr[i]);
}

static void
text_is(const msgpack_object *v, const char *want)
{
	char buf[256];

	assert_non_null(v);
	assert_string_equal(mp_text(v, buf, sizeof buf), want);
}

static void
test_pack_typical_is_compact(void **state)
{
	struct intake in;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	const msgpack_object *app, *ap, *fam, *inc, *pay;

	(void)state;
	typical(&in);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	intake_pack(&in, &pk);
	print_message("typical application.save params: %zu bytes\n", sb.size);
	assert_true(sb.size <= 3072 - 64);      /* room for the envelope */
	msgpack_unpacked_init(&u);
	assert_int_equal(msgpack_unpack_next(&u, sb.data, sb.size, NULL),
	    MSGPACK_UNPACK_SUCCESS);
	app = &u.data;
	no_nil(app);
	assert_null(mp_get(app, "id"));         /* new: no id, no version */
	text_is(mp_get(app, "service"), "low_income");
	ap = mp_get(app, "applicant");
	text_is(mp_get(ap, "birth_date"), "2000-01-01");
	text_is(mp_get(ap, "sex"), "M");
	text_is(mp_get(ap, "doc_type"), "passport");
	text_is(mp_get(ap, "doc_number"), "МК123456");   /* Latin look-alikes */
	text_is(mp_get(ap, "phone"), "+380671234567");
	text_is(mp_get(app, "phone"), "+380671234567");
	fam = mp_get(app, "family");
	assert_int_equal(fam->via.array.size, 3);
	text_is(mp_get(&fam->via.array.ptr[0], "relation"), "spouse");
	text_is(mp_get(mp_get(&fam->via.array.ptr[2], "person"), "birth_date"),
	    "2015-04-03");
	assert_null(mp_get(mp_get(&fam->via.array.ptr[2], "person"), "rnokpp"));
	inc = mp_get(app, "income");
	assert_int_equal(inc->via.array.size, 8);
	assert_int_equal(mp_int(mp_get(&inc->via.array.ptr[0], "amount"), -1), 2345678);
	assert_int_equal(mp_get(&inc->via.array.ptr[0], "amount")->type,
	    MSGPACK_OBJECT_POSITIVE_INTEGER);
	text_is(mp_get(&inc->via.array.ptr[0], "period_to"), "2024-03-31");
	assert_int_equal(mp_int(mp_get(&inc->via.array.ptr[1], "member"), -1), 1);
	pay = mp_get(app, "payment");
	text_is(mp_get(pay, "method"), "bank");
	text_is(mp_get(pay, "iban"), "UA213996220000026007233566001");
	assert_null(mp_get(pay, "post_office"));
	/* The package follows the attached scans: the form sends no ticks. */
	assert_null(mp_get(app, "documents"));
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	intake_free(&in);
}

static void
test_pack_refused_and_existing(void **state)
{
	struct intake in;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	const msgpack_object *ap;

	(void)state;
	intake_init(&in);
	in.id = 42;
	in.version = 7;
	intake_set(&in.service, "s1");
	person(&in.applicant, "3652504575", "Коваль", "Ганна", NULL, "1.2.1950",
	    HR_SEX_FEMALE, "вк 654321");
	in.applicant.rnokpp_refused = 1;
	in.applicant.id = 5;
	in.pay_method = PAY_POST;
	intake_set(&in.post_office, "21000");
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	intake_pack(&in, &pk);
	msgpack_unpacked_init(&u);
	assert_int_equal(msgpack_unpack_next(&u, sb.data, sb.size, NULL),
	    MSGPACK_UNPACK_SUCCESS);
	no_nil(&u.data);
	assert_int_equal(mp_int(mp_get(&u.data, "id"), 0), 42);
	assert_int_equal(mp_int(mp_get(&u.data, "version"), 0), 7);
	ap = mp_get(&u.data, "applicant");
	assert_int_equal(mp_int(mp_get(ap, "id"), 0), 5);
	assert_null(mp_get(ap, "rnokpp"));          /* refused: not sent */
	/* A person from the base: an empty field goes as "" (left out, the
	 * server would keep what it has; PROTOCOL.md person maps). */
	text_is(mp_get(ap, "patronymic"), "");
	text_is(mp_get(ap, "act_address"), "");
	assert_int_equal(mp_get(ap, "rnokpp_refused")->type, MSGPACK_OBJECT_BOOLEAN);
	text_is(mp_get(ap, "doc_number"), "ВК654321");
	text_is(mp_get(ap, "birth_date"), "1950-02-01");
	text_is(mp_get(mp_get(&u.data, "payment"), "post_office"), "21000");
	assert_null(mp_get(&u.data, "family"));
	assert_null(mp_get(&u.data, "notes"));
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	intake_free(&in);
}

/* A field offered from the base (application.get base_changed) goes into
 * the person in the form's own terms. */
static void
test_person_take(void **state)
{
	struct intake_person p;

	(void)state;
	memset(&p, 0, sizeof p);
	person(&p, "3652504575", "Коваль", "Ганна", NULL, "1.2.1950",
	    HR_SEX_FEMALE, "вк 654321");
	assert_int_equal(intake_person_take(&p, "reg_address", "с. Нове"), 0);
	assert_string_equal(p.f[HR_PF_REGADDR], "с. Нове");
	assert_int_equal(intake_person_take(&p, "birth_date", "1950-02-03"), 0);
	assert_string_equal(p.f[HR_PF_BIRTH], "03.02.1950");
	assert_int_equal(intake_person_take(&p, "sex", "M"), 0);
	assert_int_equal(p.sex, HR_SEX_MALE);
	assert_int_equal(intake_person_take(&p, "doc_type", "id_card"), 0);
	assert_int_equal(p.doc_type, HR_DOC_ID_CARD);
	assert_int_equal(intake_person_take(&p, "act_address", NULL), 0);
	assert_null(p.f[HR_PF_ACTADDR]);
	assert_int_equal(intake_person_take(&p, "rnokpp_refused", "true"), 0);
	assert_true(p.rnokpp_refused);
	assert_null(p.f[HR_PF_RNOKPP]);
	assert_int_equal(intake_person_take(&p, "no_such_key", "x"), -1);
	intake_person_free(&p);
}

/* application.get as the server sends it reads back into the model. */
static void
test_load_round_trip(void **state)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	struct intake in;

	(void)state;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 6);
	msgpack_pack_str_with_body(&pk, "id", 2); msgpack_pack_int(&pk, 9);
	msgpack_pack_str_with_body(&pk, "version", 7); msgpack_pack_int(&pk, 3);
	msgpack_pack_str_with_body(&pk, "reg_no", 6);
	msgpack_pack_str_with_body(&pk, "00012/2025", 10);
	msgpack_pack_str_with_body(&pk, "applicant", 9);
	msgpack_pack_map(&pk, 4);
	msgpack_pack_str_with_body(&pk, "surname", 7);
	msgpack_pack_str_with_body(&pk, "Бойко", strlen("Бойко"));
	msgpack_pack_str_with_body(&pk, "birth_date", 10);
	msgpack_pack_str_with_body(&pk, "1990-12-31", 10);
	msgpack_pack_str_with_body(&pk, "sex", 3);
	msgpack_pack_str_with_body(&pk, "F", 1);
	msgpack_pack_str_with_body(&pk, "reg_address", 11);
	msgpack_pack_str_with_body(&pk, "с. Береза", strlen("с. Береза"));
	msgpack_pack_str_with_body(&pk, "family", 6);
	msgpack_pack_array(&pk, 1);
	msgpack_pack_map(&pk, 3);                 /* flattened, lean person */
	msgpack_pack_str_with_body(&pk, "relation", 8);
	msgpack_pack_str_with_body(&pk, "child", 5);
	msgpack_pack_str_with_body(&pk, "name", 4);
	msgpack_pack_str_with_body(&pk, "Ліна", strlen("Ліна"));
	msgpack_pack_str_with_body(&pk, "reg_same", 8);   /* the applicant's */
	msgpack_pack_true(&pk);
	msgpack_pack_str_with_body(&pk, "income", 6);
	msgpack_pack_array(&pk, 1);
	msgpack_pack_map(&pk, 3);
	msgpack_pack_str_with_body(&pk, "member", 6); msgpack_pack_int(&pk, 1);
	msgpack_pack_str_with_body(&pk, "type", 4);
	msgpack_pack_str_with_body(&pk, "alimony", 7);
	msgpack_pack_str_with_body(&pk, "amount", 6); msgpack_pack_int64(&pk, 123456);
	msgpack_unpacked_init(&u);
	assert_int_equal(msgpack_unpack_next(&u, sb.data, sb.size, NULL),
	    MSGPACK_UNPACK_SUCCESS);
	intake_init(&in);
	intake_load(&in, &u.data);
	assert_int_equal(in.id, 9);
	assert_int_equal(in.version, 3);
	assert_string_equal(in.reg_no, "00012/2025");
	assert_string_equal(in.applicant.f[HR_PF_BIRTH], "31.12.1990");
	assert_int_equal(in.applicant.sex, HR_SEX_FEMALE);
	assert_int_equal(in.nfamily, 1);
	assert_int_equal(in.family[0].relation, HR_REL_CHILD);
	assert_string_equal(in.family[0].p.f[HR_PF_NAME], "Ліна");
	assert_string_equal(in.family[0].p.f[HR_PF_REGADDR], "с. Береза");
	assert_int_equal(in.nincome, 1);
	assert_int_equal(in.income[0].type, HR_INC_ALIMONY);
	assert_int_equal(in.income[0].amount, 123456);
	/* Removing the member takes its income along. */
	intake_family_remove(&in, 0);
	assert_int_equal(in.nfamily, 0);
	assert_int_equal(in.nincome, 0);
	intake_free(&in);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

static void
test_family_remove_renumbers_income(void **state)
{
	struct intake in;

	(void)state;
	typical(&in);
	intake_family_remove(&in, 0);             /* the spouse (member 1) */
	assert_int_equal(in.nfamily, 2);
	assert_int_equal(in.nincome, 4);          /* her 4 rows went */
	for (size_t i = 0; i < in.nincome; i++)
		assert_int_equal(in.income[i].member, 0);
	intake_free(&in);
}

/* Validator errors as the form shows them (tui/errmsg.c); the test runs
 * without a catalogue, so the texts are the English msgids. */
static void
test_ident_messages(void **state)
{
	char buf[256];
	struct hr_error e;

	(void)state;
	assert_int_not_equal(hr_rnokpp_match("3652504570", 10, NULL, 0, &e), 0);
	assert_string_equal(errmsg(&e, buf, sizeof buf),
	    "РНОКПП: check digit is wrong, look for a mistyped digit");
	assert_string_equal(e.id, "rnokpp.check_digit");
	struct hr_date d = { 1999, 1, 1 };
	assert_int_not_equal(hr_rnokpp_match("3652504575", 10, &d, 0, &e), 0);
	assert_string_equal(errmsg(&e, buf, sizeof buf),
	    "РНОКПП: birth date does not match (the number says 01.01.2000)");
	assert_int_not_equal(hr_rnokpp_match("3652504575", 10, NULL, HR_SEX_FEMALE, &e), 0);
	assert_string_equal(errmsg(&e, buf, sizeof buf),
	    "РНОКПП: sex does not match (the number says male)");
	/* The server's form of it: the field's path in place of the label. */
	assert_int_not_equal(hr_rnokpp_match("3652504570", 10, NULL, 0, &e), 0);
	hr_error_pop(&e);
	hr_error_at(&e, "family[2].person.rnokpp");
	assert_string_equal(e.msg, "family[2].person.rnokpp: check digit is "
	    "wrong, look for a mistyped digit");
	assert_string_equal(errmsg(&e, buf, sizeof buf), "Family member 2, "
	    "RNOKPP: check digit is wrong, look for a mistyped digit");
	assert_string_equal(errmsg_problem(&e, buf, sizeof buf),
	    "Check digit is wrong, look for a mistyped digit");
	assert_string_equal(errmsg_path("income[3].amount", buf, sizeof buf),
	    "income row 3, amount");
	/* An unstructured error shows its code's text, not its English. */
	hr_error_set(&e, HR_E_BUSY, "queue full");
	assert_string_equal(errmsg(&e, buf, sizeof buf), "Server is busy, try again");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_moves_and_skips_headings),
		cmocka_unit_test(test_form_checks_live_and_on_leave),
		cmocka_unit_test(test_form_check_all_focuses_first_wrong),
		cmocka_unit_test(test_form_choice_check_button),
		cmocka_unit_test(test_form_readonly),
		cmocka_unit_test(test_form_cursor_refusal_tick),
		cmocka_unit_test(test_form_scrolls_to_focus),
		cmocka_unit_test(test_pack_typical_is_compact),
		cmocka_unit_test(test_pack_refused_and_existing),
		cmocka_unit_test(test_person_take),
		cmocka_unit_test(test_load_round_trip),
		cmocka_unit_test(test_family_remove_renumbers_income),
		cmocka_unit_test(test_ident_messages),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
