/*
 * test_tui_case.c — the pieces of the case view and the journal filter
 * that can be checked without a terminal: the text area (editing, wrapping,
 * Up/Down between wrapped lines, trimming), the picker (search narrows,
 * Cyrillic case-folded, the chosen index is the original one), the text
 * view's line count, the journal filter (wire params, summary, lists
 * from replies, the dialog's date checks and its result), the key bar,
 * which keeps every key at 80 columns and less, the journal's rows
 * (compact rows read by position, pages merged by id range), and the
 * dialog's keys (an F-key closes a dialog and is the screen's to act on).
 *
 * Alike on purpose: the journal filter dialog is driven by the keys a
 * clerk presses (jf_dialog_key(d, &K_TAB), &K_ENTER, &K_DOWN, type()), a
 * line a key, so that a test reads as the keystrokes it replays.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "proto/dat.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "tui/dialog.h"
#include "tui/fkeys.h"
#include "tui/journal_filter.h"
#include "tui/mp.h"
#include "tui/picker.h"
#include "tui/textarea.h"
#include "tui/textview.h"

static const struct key K_ENTER = { 0, L'\r' }, K_ESC = { 0, 27 },
	K_UP = { 1, KEY_UP }, K_DOWN = { 1, KEY_DOWN }, K_BS = { 0, 0x7f },
	K_TAB = { 0, L'\t' }, K_F2 = { 1, KEY_F(2) }, K_F8 = { 1, KEY_F(8) };

static void
type(int (*fn)(void *, const struct key *), void *w, const wchar_t *s)
{
	for (; *s; s++) {
		struct key k = { 0, (wint_t)*s };
		fn(w, &k);
	}
}

static int ta_key(void *w, const struct key *k) { return textarea_key(w, k); }
static int pk_key(void *w, const struct key *k) { return picker_key(w, k); }
static int jf_key(void *w, const struct key *k) { return jf_dialog_key(w, k); }

/* ---- textarea ---- */

static void
test_textarea_edit(void **state)
{
	struct textarea t;
	char *s;

	(void)state;
	assert_int_equal(textarea_init(&t, 20), 0);
	assert_true(textarea_blank(&t));
	type(ta_key, &t, L"  Немає довідки  ");
	assert_false(textarea_blank(&t));
	s = textarea_text(&t);
	assert_string_equal(s, "Немає довідки");      /* trimmed */
	free(s);
	textarea_key(&t, &K_BS);
	textarea_key(&t, &K_BS);
	textarea_key(&t, &K_BS);
	s = textarea_text(&t);
	assert_string_equal(s, "Немає довідк");
	free(s);
	type(ta_key, &t, L"0123456789ABCDEF");     /* the maximum holds */
	assert_int_equal(t.len, 20);
	assert_false(textarea_key(&t, &K_ENTER));   /* Enter is the owner's */
	textarea_free(&t);
}

static void
test_textarea_wrap(void **state)
{
	struct textarea t;

	(void)state;
	assert_int_equal(textarea_init(&t, 100), 0);
	textarea_set(&t, "abcdefghijklmnopqrstuvwxy");   /* 25 characters */
	assert_int_equal(textarea_lines(&t, 10), 3);
	assert_int_equal(textarea_lines(&t, 25), 2);    /* the cursor place wraps */
	assert_int_equal(textarea_lines(&t, 30), 1);
	t.width = 10;
	assert_int_equal(t.cur, 25);                     /* row 2, column 5 */
	textarea_key(&t, &K_UP);
	assert_int_equal(t.cur, 15);
	textarea_key(&t, &K_UP);
	assert_int_equal(t.cur, 5);
	textarea_key(&t, &K_UP);                         /* top row: stays */
	assert_int_equal(t.cur, 5);
	textarea_key(&t, &K_DOWN);
	textarea_key(&t, &K_DOWN);
	assert_int_equal(t.cur, 25);
	textarea_set(&t, "ab\ncd");                      /* control -> blank */
	assert_int_equal(t.buf[2], L' ');
	textarea_free(&t);
}

/* ---- picker ---- */

static void
test_picker(void **state)
{
	const char *items[] = { "Усі послуги", "Житлова субсидія",
		"Допомога при народженні дитини", "Допомога на дітей одиноким матерям" };
	struct picker *p = picker_new("Послуга", items, 4, 0);

	(void)state;
	assert_non_null(p);
	assert_int_equal(picker_visible(p), 4);
	type(pk_key, p, L"ДОПОМ");                       /* folded */
	assert_int_equal(picker_visible(p), 2);
	picker_key(p, &K_DOWN);
	assert_int_equal(picker_key(p, &K_ENTER), 3);    /* the original index */
	type(pk_key, p, L"x");
	assert_int_equal(picker_visible(p), 0);
	assert_int_equal(picker_key(p, &K_ENTER), PICKER_OPEN);
	picker_key(p, &K_BS);
	assert_int_equal(picker_visible(p), 2);
	assert_int_equal(picker_key(p, &K_ESC), PICKER_CANCEL);
	picker_free(p);
}

/* ---- textview ---- */

static void
test_textview(void **state)
{
	struct textview tv;

	(void)state;
	textview_init(&tv);
	textview_add(&tv, 0, A_NORMAL, "%s", "one");
	textview_add(&tv, 0, A_NORMAL, "%s", "");
	/* 24 columns at width 16 (wraps at 14): 2 lines */
	textview_add(&tv, 0, A_NORMAL, "%s", "aaaa bbbb cccc dddd eeee");
	assert_int_equal(textview_lines(&tv, 16), 4);
	textview_clear(&tv);
	assert_int_equal(textview_lines(&tv, 16), 0);
	textview_free(&tv);
}

/* ---- journal filter ---- */

/* Pack the filter as journal.list params and read them back. */
static msgpack_object
packed(const struct journal_filter *f, msgpack_sbuffer *sb, msgpack_unpacked *u)
{
	msgpack_packer pk;

	msgpack_sbuffer_init(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, jfilter_nparams(f));
	jfilter_pack(f, &pk);
	msgpack_unpacked_init(u);
	assert_int_equal(msgpack_unpack_next(u, sb->data, sb->size, NULL),
	    MSGPACK_UNPACK_SUCCESS);
	return u->data;
}

static void
test_filter_params(void **state)
{
	struct journal_filter f;
	msgpack_sbuffer sb;
	msgpack_unpacked u;
	msgpack_object o;
	char buf[64], *sum;

	(void)state;
	jfilter_init(&f);
	assert_false(jfilter_active(&f));
	sum = jfilter_summary(&f);
	assert_string_equal(sum, "");
	free(sum);
	f.status = HR_ST_RETURNED_FRONT;
	f.service = strdup("subsidy");
	f.service_name = strdup("Житлова субсидія");
	f.package = JF_PKG_PARTIAL;
	strcpy(f.date_from, "2026-01-01");
	f.front_office = 42;
	f.front_name = strdup("Слоутський старостинський округ");
	f.q = strdup("Іван");
	assert_int_equal(jfilter_nparams(&f), 6);     /* date_to open */
	o = packed(&f, &sb, &u);
	assert_string_equal(mp_text(mp_get(&o, "status"), buf, sizeof buf),
	    "returned_front");
	assert_string_equal(mp_text(mp_get(&o, "package"), buf, sizeof buf), "partial");
	assert_string_equal(mp_text(mp_get(&o, "date_from"), buf, sizeof buf),
	    "2026-01-01");
	assert_null(mp_get(&o, "date_to"));
	assert_int_equal(mp_int(mp_get(&o, "front_office"), 0), 42);
	assert_string_equal(mp_text(mp_get(&o, "q"), buf, sizeof buf), "Іван");
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	sum = jfilter_summary(&f);
	assert_non_null(strstr(sum, "Житлова субсидія"));
	assert_non_null(strstr(sum, "01.01.2026"));
	assert_non_null(strstr(sum, "«Іван»"));
	free(sum);
	jfilter_clear(&f);
	assert_int_equal(jfilter_nparams(&f), 0);
	assert_int_equal(f.status, -1);

	/* «рішення є, заявника не повідомлено»: answered + unnotified */
	f.status = HR_ST_ANSWERED;
	f.unnotified = 1;
	o = packed(&f, &sb, &u);
	assert_string_equal(mp_text(mp_get(&o, "status"), buf, sizeof buf),
	    "answered");
	assert_true(mp_get(&o, "unnotified") != NULL &&
	    mp_get(&o, "unnotified")->type == MSGPACK_OBJECT_BOOLEAN &&
	    mp_get(&o, "unnotified")->via.boolean);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	sum = jfilter_summary(&f);
	assert_string_equal(sum, "Decision, applicant not told");
	free(sum);
	jfilter_clear(&f);
	assert_int_equal(f.unnotified, 0);

	/* the decision (none yet) and the number's start */
	f.decision = JF_DEC_NONE;
	strcpy(f.reg_no, "00004");
	assert_int_equal(jfilter_nparams(&f), 2);
	o = packed(&f, &sb, &u);
	assert_string_equal(mp_text(mp_get(&o, "decision"), buf, sizeof buf),
	    "none");
	assert_string_equal(mp_text(mp_get(&o, "reg_no"), buf, sizeof buf),
	    "00004");
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	sum = jfilter_summary(&f);
	assert_string_equal(sum, "No decision yet; № 00004");
	free(sum);
	f.decision = HR_DEC_REFUSED;
	o = packed(&f, &sb, &u);
	assert_string_equal(mp_text(mp_get(&o, "decision"), buf, sizeof buf),
	    "refused");
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	jfilter_clear(&f);
}

/* Services as the journal makes them from the reference cache, and a
 * territory.front_offices result. */
static void
lists_from_reply(struct jf_lists *l)
{
	struct jf_item *sv = calloc(2, sizeof *sv);
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;

	assert_non_null(sv);
	sv[0] = (struct jf_item){ strdup("subsidy"), strdup("Житлова субсидія"), 0 };
	sv[1] = (struct jf_item){ strdup("birth"),
		strdup("Допомога при народженні дитини"), 0 };
	jf_lists_set_services(l, sv, 2);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	hr_pack_str(&pk, "items");
	msgpack_pack_array(&pk, 1);
	msgpack_pack_map(&pk, 3);
	hr_pack_kv_int(&pk, "id", 17);
	hr_pack_kv_str(&pk, "name", "ЦНАП");
	hr_pack_kv_str(&pk, "kind", "cnap");
	msgpack_unpacked_init(&u);
	assert_int_equal(msgpack_unpack_next(&u, sb.data, sb.size, NULL),
	    MSGPACK_UNPACK_SUCCESS);
	assert_int_equal(jf_lists_read_offices(l, &u.data), 0);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

static void
test_filter_lists(void **state)
{
	struct jf_lists l = { 0 };

	(void)state;
	lists_from_reply(&l);
	assert_true(l.have_offices);
	assert_int_equal(l.nservices, 2);
	assert_int_equal(l.noffices, 1);
	assert_int_equal(l.offices[0].id, 17);
	assert_string_equal(jf_item_name(l.offices, l.noffices, "17"), "ЦНАП");
	assert_string_equal(jf_item_name(l.services, l.nservices, "birth"),
	    "Допомога при народженні дитини");
	assert_null(jf_item_name(l.services, l.nservices, "nope"));
	jf_lists_free(&l);
}

static void
test_filter_dialog(void **state)
{
	struct jf_lists l = { 0 };
	struct journal_filter f;
	struct jf_dialog *d;

	(void)state;
	lists_from_reply(&l);
	jfilter_init(&f);
	d = jf_dialog_new(&f, &l, 0xff, 0);
	assert_non_null(d);
	/* status: open the picker, second item (the first status), choose */
	assert_int_equal(jf_dialog_key(d, &K_ENTER), JF_OPEN);
	jf_dialog_key(d, &K_DOWN);
	jf_dialog_key(d, &K_ENTER);
	/* decision: any, none yet, assigned — the third */
	jf_dialog_key(d, &K_TAB);
	jf_dialog_key(d, &K_ENTER);
	jf_dialog_key(d, &K_DOWN);
	jf_dialog_key(d, &K_DOWN);
	jf_dialog_key(d, &K_ENTER);
	/* service: type to find "субс", choose */
	jf_dialog_key(d, &K_TAB);
	jf_dialog_key(d, &K_ENTER);
	type(jf_key, d, L"СУБС");
	jf_dialog_key(d, &K_ENTER);
	/* date from: a bad one keeps the dialog open */
	jf_dialog_key(d, &K_TAB);
	jf_dialog_key(d, &K_TAB);
	type(jf_key, d, L"31.02.2026");
	assert_int_equal(jf_dialog_key(d, &K_ENTER), JF_OPEN);
	for (int i = 0; i < 10; i++)
		jf_dialog_key(d, &K_BS);
	type(jf_key, d, L"02.03.2026");
	jf_dialog_key(d, &K_TAB);
	type(jf_key, d, L"01.03.2026");              /* before the start */
	assert_int_equal(jf_dialog_key(d, &K_F2), JF_OPEN);
	for (int i = 0; i < 10; i++)
		jf_dialog_key(d, &K_BS);
	type(jf_key, d, L"1.4.2026");
	/* front office, then the name */
	jf_dialog_key(d, &K_TAB);
	jf_dialog_key(d, &K_ENTER);
	jf_dialog_key(d, &K_DOWN);
	jf_dialog_key(d, &K_ENTER);
	/* the number: a letter in it keeps the dialog open */
	jf_dialog_key(d, &K_TAB);
	type(jf_key, d, L"0000a");
	assert_int_equal(jf_dialog_key(d, &K_ENTER), JF_OPEN);
	jf_dialog_key(d, &K_BS);
	type(jf_key, d, L"4");
	jf_dialog_key(d, &K_TAB);
	type(jf_key, d, L"  Іван  ");
	assert_int_equal(jf_dialog_key(d, &K_ENTER), JF_APPLY);
	jf_dialog_take(d, &f);
	jf_dialog_free(d);
	assert_int_equal(f.status, HR_ST_DRAFT);
	assert_string_equal(f.service, "subsidy");
	assert_string_equal(f.date_from, "2026-03-02");
	assert_string_equal(f.date_to, "2026-04-01");
	assert_int_equal(f.front_office, 17);
	assert_string_equal(f.front_name, "ЦНАП");
	assert_string_equal(f.q, "Іван");
	assert_int_equal(f.decision, HR_DEC_ASSIGNED);
	assert_string_equal(f.reg_no, "00004");
	/* F8 clears all, Esc leaves the filter as it was */
	d = jf_dialog_new(&f, &l, 0xff, 1);
	jf_dialog_key(d, &K_F8);
	assert_int_equal(jf_dialog_key(d, &K_F2), JF_APPLY);
	jf_dialog_take(d, &f);
	jf_dialog_free(d);
	assert_false(jfilter_active(&f));
	jfilter_clear(&f);
	jf_lists_free(&l);
}

static void
test_memo(void **state)
{
	struct journal_memo *m = journal_memo("sta");

	(void)state;
	m->filter.status = HR_ST_AT_OTG;
	m->opened_id = 5;
	assert_ptr_equal(journal_memo("sta"), m);
	assert_int_equal(journal_memo("sta")->filter.status, HR_ST_AT_OTG);
	m = journal_memo("upo");                     /* another user: afresh */
	assert_int_equal(m->filter.status, -1);
	assert_int_equal(m->opened_id, 0);
	journal_memo_free();
}

/* The bar on row 0 of stdscr as UTF-8. */
static void
bar_text(char *buf, size_t n)
{
	wchar_t w[256];

	mvwinnwstr(stdscr, 0, 0, w, 255);
	w[255] = 0;
	wcstombs(buf, w, n);
	buf[n - 1] = '\0';
}

/* Every key of the back office's journal and of a super user's case
 * view stays on the bar at 80 and at 60 columns, numbers and labels. */
static void
test_fkeys_keep_every_key(void **state)
{
	static const struct fkey journal[] = {
		{ 1, "Help" }, { 3, "Filter" }, { 5, "Refresh" }, { 6, "Export" },
		{ 7, "Import answer" }, { 8, "Clear filter" }, { 10, "Quit" },
	};
	static const struct fkey kase[] = {
		{ 1, "Help" }, { 3, "History" }, { 4, "Edit" },
		{ 5, "Send to the back office" }, { 6, "Return to the front "
		"office" }, { 9, "Journal" }, { 10, "Quit" },
	};
	const struct { const struct fkey *k; size_t n; } bars[] = {
		{ journal, 7 }, { kase, 7 },
	};
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	char line[1024], num[8];
	SCREEN *scr;

	(void)state;
	setenv("TERM", "xterm", 1);
	scr = newterm(NULL, out, in);
	assert_non_null(scr);
	for (size_t b = 0; b < 2; b++)
		for (int width = 80; width >= 60; width -= 20) {
			werase(stdscr);
			fkeys_draw(stdscr, 0, width, bars[b].k, bars[b].n);
			bar_text(line, sizeof line);
			assert_true(fkeys_fits(bars[b].k, bars[b].n, width));
			for (size_t i = 0; i < bars[b].n; i++) {
				snprintf(num, sizeof num, "%d", bars[b].k[i].num);
				if (strstr(line, num) == NULL)
					fail_msg("F%s missing at %d columns: %s",
					    num, width, line);
			}
			/* Nothing drawn past the width. */
			assert_true(strlen(line) <= 2 * 255);
		}
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

/* ---- the journal's rows (journal_rows.c) ---- */

/*
 * A journal.list result: rows with ids from `hi` down by 1, `n` of them,
 * status `st`, services ["a", "b"] alternating; `next` and `etag` as given.
 */
static void
page_result(msgpack_sbuffer *sb, msgpack_unpacked *u, int64_t hi, int n,
    int st, int64_t next, int64_t etag)
{
	msgpack_packer pk;
	size_t off = 0;

	msgpack_sbuffer_init(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 4);
	hr_pack_str(&pk, "rows");
	msgpack_pack_array(&pk, (size_t)n);
	for (int i = 0; i < n; i++) {
		msgpack_pack_array(&pk, 11);             /* one element more */
		msgpack_pack_int64(&pk, hi - i);
		hr_pack_str(&pk, "00001/2026");
		msgpack_pack_int64(&pk, 1790000000);
		msgpack_pack_int(&pk, st);
		msgpack_pack_int(&pk, i % 2);
		hr_pack_str(&pk, "Тестенко Панас Іванович");
		msgpack_pack_int(&pk, 24);
		msgpack_pack_true(&pk);
		if (i % 2) {                     /* decision: [kind, amount] */
			msgpack_pack_array(&pk, 2);
			hr_pack_str(&pk, "assigned");
			msgpack_pack_int64(&pk, 123456);
		} else {
			msgpack_pack_nil(&pk);
		}
		if (i % 2)
			msgpack_pack_true(&pk);
		else
			msgpack_pack_false(&pk);
		hr_pack_str(&pk, "a later field");
	}
	hr_pack_str(&pk, "services");
	msgpack_pack_array(&pk, 2);
	hr_pack_str(&pk, "subsidy");
	hr_pack_str(&pk, "birth");
	hr_pack_kv_int(&pk, "next", next);
	hr_pack_kv_int(&pk, "etag", etag);
	msgpack_unpacked_init(u);
	assert_int_equal(msgpack_unpack_next(u, sb->data, sb->size, &off),
	    MSGPACK_UNPACK_SUCCESS);
}

static void
page_done(msgpack_sbuffer *sb, msgpack_unpacked *u)
{
	msgpack_unpacked_destroy(u);
	msgpack_sbuffer_destroy(sb);
}

/* Take in the page below `before` (0: the first), of 10 rows as
 * page_result makes them from `hi` down. */
static void
take_page(struct jrows *j, int64_t before, int64_t hi, int st, int64_t next,
    int64_t etag)
{
	msgpack_sbuffer sb;
	msgpack_unpacked u;

	page_result(&sb, &u, hi, 10, st, next, etag);
	jrows_take_page(j, before, 10, &u.data);
	page_done(&sb, &u);
}

/* A row is read by position; a later element is ignored, a bad one refused. */
static void
test_jrow_read(void **state)
{
	msgpack_sbuffer sb;
	msgpack_unpacked u;
	const msgpack_object *rows, *svc;
	struct jrow r;

	(void)state;
	page_result(&sb, &u, 100, 2, HR_ST_AT_OTG, 0, 7);
	rows = mp_get(&u.data, "rows");
	svc = mp_get(&u.data, "services");
	assert_int_equal(jrow_read(&r, &rows->via.array.ptr[1], svc), 0);
	assert_int_equal(r.id, 99);
	assert_string_equal(r.reg_no, "00001/2026");
	assert_int_equal(r.status, HR_ST_AT_OTG);
	assert_string_equal(r.service, "birth");
	assert_string_equal(r.applicant, "Тестенко Панас Іванович");
	assert_int_equal(r.front_office, 24);
	assert_true(r.package_full);
	assert_int_equal(r.decision, HR_DEC_ASSIGNED);
	assert_true(r.has_amount);
	assert_int_equal(r.amount, 123456);
	assert_true(r.notified);
	jrow_free(&r);
	assert_int_equal(jrow_read(&r, &rows->via.array.ptr[0], svc), 0);
	assert_int_equal(r.decision, -1);
	assert_false(r.notified);
	jrow_free(&r);
	/* A decision that is neither nil nor [known kind, amount|nil]. */
	rows->via.array.ptr[1].via.array.ptr[8].via.array.ptr[0].via.str.size = 3;
	assert_int_equal(jrow_read(&r, &rows->via.array.ptr[1], svc), -1);
	rows->via.array.ptr[1].via.array.ptr[8].via.array.ptr[0].via.str.size = 8;
	/* A service index outside the page's list, and a row too short. */
	rows->via.array.ptr[0].via.array.ptr[4].via.u64 = 2;
	assert_int_equal(jrow_read(&r, &rows->via.array.ptr[0], svc), -1);
	rows->via.array.ptr[1].via.array.size = 9;
	assert_int_equal(jrow_read(&r, &rows->via.array.ptr[1], svc), -1);
	assert_int_equal(jrow_read(&r, &rows->via.array.ptr[1], NULL), -1);
	page_done(&sb, &u);
}

/*
 * Pages are id ranges.  Held: 100..91, 90..81, 80..71.  Revalidating the
 * first page after two new applications (102, 101) gives 102..93: the
 * rows it pushed out (92, 91) stay.  The second page changed (a status)
 * and replaces 90..81 only.  A last page that now ends early drops the
 * rows below it and says there is no more.
 */
static void
test_jrows_merge(void **state)
{
	msgpack_sbuffer sb;
	msgpack_unpacked u;
	struct jrows j;

	(void)state;
	jrows_init(&j);
	take_page(&j, 0, 100, HR_ST_DRAFT, 91, 1);
	take_page(&j, 91, 90, HR_ST_DRAFT, 81, 2);
	take_page(&j, 81, 80, HR_ST_DRAFT, 71, 3);
	assert_int_equal(j.n, 30);
	assert_int_equal(j.npage, 3);
	assert_int_equal(j.next, 71);
	assert_true(jrows_more(&j));

	page_result(&sb, &u, 102, 10, HR_ST_DRAFT, 93, 4);
	jrows_merge_page(&j, 0, &u.data);
	page_done(&sb, &u);
	assert_int_equal(j.n, 32);
	assert_int_equal(j.row[0].id, 102);
	assert_int_equal(jrows_find(&j, 92), 10);
	assert_int_equal(jrows_find(&j, 91), 11);
	assert_int_equal(j.page[0].etag, 4);

	page_result(&sb, &u, 90, 10, HR_ST_AT_OTG, 81, 5);
	jrows_merge_page(&j, 91, &u.data);
	page_done(&sb, &u);
	assert_int_equal(j.n, 32);
	assert_int_equal(j.row[jrows_find(&j, 85)].status, HR_ST_AT_OTG);
	assert_int_equal(j.row[jrows_find(&j, 80)].status, HR_ST_DRAFT);
	for (size_t i = 1; i < j.n; i++)
		assert_true(j.row[i].id < j.row[i - 1].id);

	page_result(&sb, &u, 80, 4, HR_ST_DRAFT, 0, 6);
	jrows_merge_page(&j, 81, &u.data);
	page_done(&sb, &u);
	assert_int_equal(j.n, 26);
	assert_int_equal(j.row[j.n - 1].id, 77);
	assert_int_equal(j.next, 0);
	assert_false(jrows_more(&j));
	jrows_set_status(&j, 77, HR_ST_CHECKED);
	assert_int_equal(j.row[j.n - 1].status, HR_ST_CHECKED);
	jrows_free(&j);
}

/*
 * Issue 14: an F-key pressed while a modal dialog is open («the document
 * is saved», or a question) is not lost: the dialog closes as on Esc and
 * the key goes on (DIALOG_PASS) — F6 in the print's saved dialog reaches
 * the case view (e2e print.sh step 2 does it through the real client).
 * F1 stays with the dialog; Enter, Esc and the letters answer as before.
 */
static void
test_dialog_fkeys(void **state)
{
	static const struct { enum dialog_kind kind; int dflt; } kinds[] = {
		{ DIALOG_MESSAGE, 1 }, { DIALOG_YESNO, 1 }, { DIALOG_GUARDED, 0 },
	};
	const struct key f1 = { 1, KEY_F(1) }, enter = { 0, L'\r' },
	    esc = { 0, 27 }, yes = { 0, L'т' };
	struct dialog *d;

	(void)state;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		for (int n = 2; n <= 9; n++) {
			const struct key f = { 1, KEY_F(n) };

			d = dialog_new(kinds[i].kind, "Printing",
			    "The document is saved:\n/tmp/x.pdf", 0, kinds[i].dflt);
			assert_non_null(d);
			assert_int_equal(dialog_key(d, &f), DIALOG_PASS);
			dialog_free(d);
		}
		d = dialog_new(kinds[i].kind, "t", "x", 0, kinds[i].dflt);
		assert_int_equal(dialog_key(d, &f1), DIALOG_OPEN);
		assert_int_equal(dialog_key(d, &enter), kinds[i].dflt);
		dialog_free(d);
		d = dialog_new(kinds[i].kind, "t", "x", 0, kinds[i].dflt);
		assert_int_equal(dialog_key(d, &esc), DIALOG_NO);
		dialog_free(d);
	}
	d = dialog_new(DIALOG_GUARDED, "t", "x", 1, 0);
	assert_int_equal(dialog_key(d, &yes), DIALOG_YES);
	dialog_free(d);
}

/*
 * The row a save brings (application.save's `journal`, a one-row page):
 * a new application goes in at the top and counts; a saved one replaces
 * its row; under a filter a new one waits for the check; one below the
 * rows held belongs to a page still to come.
 */
static void
test_jrows_put(void **state)
{
	msgpack_sbuffer sb;
	msgpack_unpacked u;
	struct jrows j;

	(void)state;
	jrows_init(&j);
	take_page(&j, 0, 100, HR_ST_AT_OTG, 91, 1);
	j.counts[HR_ST_AT_OTG] = j.total = 30;
	page_result(&sb, &u, 101, 1, HR_ST_DRAFT, 0, 0);
	assert_int_equal(jrows_put(&j, &u.data, 0), 0);     /* filtered */
	assert_int_equal(j.n, 10);
	assert_int_equal(jrows_put(&j, &u.data, 1), 1);
	page_done(&sb, &u);
	assert_int_equal(j.n, 11);
	assert_int_equal(j.row[0].id, 101);
	assert_int_equal(j.counts[HR_ST_DRAFT], 1);
	assert_int_equal(j.total, 31);
	page_result(&sb, &u, 95, 1, HR_ST_DRAFT, 0, 0);    /* saved again */
	assert_int_equal(jrows_put(&j, &u.data, 1), 0);
	page_done(&sb, &u);
	assert_int_equal(j.n, 11);
	assert_int_equal(j.row[jrows_find(&j, 95)].status, HR_ST_DRAFT);
	page_result(&sb, &u, 50, 1, HR_ST_DRAFT, 0, 0);    /* not held yet */
	assert_int_equal(jrows_put(&j, &u.data, 1), 0);
	assert_int_equal(jrows_find(&j, 50), -1);
	page_done(&sb, &u);
	assert_int_equal(jrows_put(&j, NULL, 1), 0);       /* nil: not shown */
	for (size_t i = 1; i < j.n; i++)
		assert_true(j.row[i].id < j.row[i - 1].id);
	jrows_free(&j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_textarea_edit),
		cmocka_unit_test(test_textarea_wrap),
		cmocka_unit_test(test_picker),
		cmocka_unit_test(test_textview),
		cmocka_unit_test(test_filter_params),
		cmocka_unit_test(test_filter_lists),
		cmocka_unit_test(test_filter_dialog),
		cmocka_unit_test(test_memo),
		cmocka_unit_test(test_fkeys_keep_every_key),
		cmocka_unit_test(test_dialog_fkeys),
		cmocka_unit_test(test_jrow_read),
		cmocka_unit_test(test_jrows_merge),
		cmocka_unit_test(test_jrows_put),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
