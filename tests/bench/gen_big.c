/*
 * gen_big.c — fill a demo database with a country's worth of recipients
 * and applications, for the intake benchmark (tests/bench/INTAKE.md).
 *
 *   gen_big --db FILE [--persons N] [--apps M] [--big-apps K]
 *           [--hromadas H] [--seed S] [--quiet]
 *
 * FILE must have been made by `hromadactl init` and `hromadactl demo`: the
 * demo's territories, users and reference lists stay as they are and the
 * benchmark logs in as the demo users.  To them this adds
 *  - territories up to H hromadas country-wide (default 1,470, as many as
 *    Ukraine has), grouped ~11 to a district back office under the 24
 *    oblasts, each with its ЦНАП and 0–6 starosta districts, and a clerk,
 *    an upo_otg and a back-office account (nobody can log in as them: no
 *    password; they sign the history rows).  Like the seeds' «Динаміка
 *    підключення ОТГ», not every office takes part: every 9th district is
 *    not connected at all (its accounts disabled, no applications), every
 *    13th other hromada neither; every 17th is connected but idle — its
 *    applications stop 75 days before END_DAY;
 *  - persons up to N (default 5,000,000), in households (head, spouse,
 *    children) with family links, valid РНОКПП (hr_rnokpp_make), УНЗР for
 *    ID-card holders, canonical document numbers, folded search names
 *    (hr_fold, exactly as db/persons.c stores them) and surnames drawn from
 *    a long-tailed stock of ~1,700, so that a name prefix selects as many
 *    persons as it would in real life;
 *  - M applications (default 1,000,000) over the twelve months before
 *    END_DAY, in time (so id) order, more each month as the programme is
 *    taken up (month_weight: a pilot, a steady rise, growth in the last
 *    three months, as in seed 001's «Динаміка зростання»), spread over the
 *    connected hromadas by a
 *    heavy-tailed weight (cities), except that the demo's Березівська ОТГ
 *    gets K of them (default 50,000): the journals of its clerks, its
 *    upo_otg and its back office are the big scopes the benchmark stresses.
 *    Their status depends on their age (old ones mostly answered, new ones
 *    still moving), each with the history rows of its way there,
 *    registration numbers from the hromada's yearly counter the way the
 *    server assigns them, and the details the application screen shows;
 *  - the decision of every answered application, as the demo's come
 *    (ctl/demo_answer.h): from its back office's decision system, in real
 *    answer files of up to DEMO_ANSWER_FILE_MAX decisions, stored as an
 *    import stores them;
 *  - the deadline clocks of every application (application_clocks and
 *    the running one copied onto applications.stage_*), started and
 *    stopped at each step of its history as db_deadline_moved does on the
 *    server: the service's working days per stage, counted over the
 *    database's calendar by db/workdays.h, the front office, hromada or
 *    back office answering for the stage, a stopped clock's working days
 *    late.  Days are UTC days, as a server running in UTC counts them.
 *
 * Speed: raw prepared INSERTs in transactions of TX_ROWS rows with
 * journal_mode=OFF and synchronous=OFF (a failed fill is thrown away, never
 * repaired), foreign-key checks off (the generator makes consistent ids;
 * --check runs foreign_key_check afterwards, and checks that the answered
 * applications are those with a decision), a large page cache, and the
 * non-unique indexes of the filled tables dropped and created again at the
 * end from their own stored definitions (indexes_drop).  At the end:
 * ANALYZE, then back to WAL, the mode the server expects.
 *
 * Everything random comes from one splitmix64 stream seeded with --seed, and
 * no wall-clock time is stored, so the same arguments give the same file.
 */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "ctl/demo.h"
#include "ctl/demo_answer.h"
#include "db/calendar.h"
#include "db/db.h"
#include "db/reports.h"
#include "db/territory.h"
#include "db/workdays.h"
#include "proto/fold.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "proto/workflow.h"

#define DEFAULT_PERSONS  5000000
#define DEFAULT_APPS     1000000
#define DEFAULT_BIG_APPS 50000
#define DEFAULT_HROMADAS 1470
#define DEFAULT_SEED     20261124u

#define BIG_HROMADA  "Березівська сільська ОТГ"   /* the demo's, see ctl/demo_data.c */
#define BIG_SPSZN    "УСЗН Глухівської РДА"
#define BIG_SPSZN_HROMADAS 8      /* a real district's size: Глухівський has ~8 */
#define PER_SPSZN    11           /* 1,470 hromadas / 136 districts */
#define OFFICES_MAX  8            /* ЦНАП + at most 7 starosta districts */
#define HROMADAS_MAX 20000
#define TX_ROWS      100000       /* rows per transaction during the fill */
#define RETRIES      32           /* fresh identifiers after a UNIQUE clash */

/* Time: a year of applications ending at END_DAY 12:00 UTC (not "now": the
 * file must not depend on the day it was made). */
#define END_DAY      "2026-11-20"
#define DAY          86400
#define SPAN_DAYS    365
#define EPOCH_DAYS   25569        /* 1970-01-01 in hr_date_to_days */
#define IDLE_DAYS    75           /* an idle hromada's last application */

/* Applications per month, oldest first: the year's take-up curve. */
static const double month_weight[12] = {
	0.5, 0.5, 1, 1.5, 3, 4, 5, 6, 7, 10, 13, 16,
};

/* How a hromada takes part (seed 001, «Динаміка підключення ОТГ»). */
enum use_kind {
	USE_ACTIVE,     /* accounts enabled, applications all year */
	USE_IDLE,       /* accounts enabled, no application of late */
	USE_NONE,       /* not connected: accounts disabled, nothing */
};

static int quiet;
static int32_t ps_today_days;    /* END_DAY as hr_date_to_days */

/* ---- small helpers ------------------------------------------------------ */

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("gen_big: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
say(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* "what: N rows in T s (R rows/s)" */
static void
say_rate(const char *what, long long rows, double t0)
{
	double dt = now_s() - t0;

	say("%-22s %10lld rows in %6.1f s (%8.0f rows/s)\n", what, rows, dt,
	    dt > 0 ? rows / dt : 0.0);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		die("out of memory");
	return p;
}

/* splitmix64: tiny, fixed, the same on every platform (as ctl/cmd_demo.c). */
static uint64_t rng_state;

static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int
pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static double
unit(void)           /* (0, 1] */
{
	return ((rnd() >> 11) + 1) * (1.0 / 9007199254740992.0);
}

/* Index into a table of weights summing to 100. */
static int
pick_pct(const unsigned char *pct, int n)
{
	int r = pick(100);

	for (int i = 0; i < n; i++) {
		if (r < pct[i])
			return i;
		r -= pct[i];
	}
	return n - 1;
}

/* ---- SQLite ------------------------------------------------------------- */

static sqlite3 *sql;

static void
exec(const char *s)
{
	char *msg = NULL;

	if (sqlite3_exec(sql, s, NULL, NULL, &msg) != SQLITE_OK)
		die("%s: %s", s, msg ? msg : sqlite3_errmsg(sql));
}

static sqlite3_stmt *
prep(const char *s)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(sql, s, -1, &st, NULL) != SQLITE_OK)
		die("prepare %s: %s", s, sqlite3_errmsg(sql));
	return st;
}

static int64_t
query_int(const char *s)
{
	sqlite3_stmt *st = prep(s);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;

	sqlite3_finalize(st);
	return v;
}

/* Does the schema have this table (a migration may add it later)? */
static int
have_table(const char *name)
{
	sqlite3_stmt *st = prep("SELECT 1 FROM sqlite_schema WHERE type = "
	    "'table' AND name = ?");
	int r;

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	r = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return r;
}

/* Step an INSERT; SQLITE_DONE or SQLITE_CONSTRAINT (retry), else die. */
static int
step_insert(sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return rc;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)   /* extended codes are on */
		return SQLITE_CONSTRAINT;
	die("insert %s: %s", what, sqlite3_errmsg(sql));
	return rc;
}

static void
insert(sqlite3_stmt *st, const char *what)
{
	if (step_insert(st, what) != SQLITE_DONE)
		die("insert %s: %s", what, sqlite3_errmsg(sql));
}

/* Commit every TX_ROWS rows so dirty pages do not pile up in memory. */
static long tx_rows;

static void
tx_tick(long rows)
{
	tx_rows += rows;
	if (tx_rows >= TX_ROWS) {
		exec("COMMIT; BEGIN");
		tx_rows = 0;
	}
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static void
bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		sqlite3_bind_null(st, i);
	else
		bind_text(st, i, s);
}

/*
 * The secondary indexes of the tables we fill, dropped for the fill and
 * created again afterwards by running the very CREATE INDEX text SQLite
 * keeps in sqlite_schema — the migrations' own definition, nothing copied
 * here.  Sorting once is several times faster than inserting into six
 * random-ordered b-trees row by row.  UNIQUE indexes stay: the retry on a
 * clash with a demo person's РНОКПП, УНЗР or document relies on them.
 */
struct saved_index {
	char *name, *sql;
};

static struct saved_index saved[64];
static int nsaved;

static void
indexes_drop(void)
{
	sqlite3_stmt *st = prep("SELECT name, sql FROM sqlite_schema WHERE "
	    "type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' "
	    "AND tbl_name IN ('persons', 'family_members', 'applications', "
	    "'application_history', 'application_persons', 'person_oblasts', "
	    "'application_income', 'application_documents', "
	    "'application_clocks', 'decisions') ORDER BY name");
	char drop[256];

	while (sqlite3_step(st) == SQLITE_ROW && nsaved < 64) {
		saved[nsaved].name = xstrdup((const char *)sqlite3_column_text(st, 0));
		saved[nsaved].sql = xstrdup((const char *)sqlite3_column_text(st, 1));
		nsaved++;
	}
	sqlite3_finalize(st);
	for (int i = 0; i < nsaved; i++) {
		snprintf(drop, sizeof drop, "DROP INDEX \"%s\"", saved[i].name);
		exec(drop);
	}
}

static void
indexes_create(void)
{
	double t0 = now_s();

	for (int i = 0; i < nsaved; i++) {
		exec(saved[i].sql);
		free(saved[i].name);
		free(saved[i].sql);
	}
	say("%-22s %10d    in %6.1f s\n", "indexes created", nsaved,
	    now_s() - t0);
	nsaved = 0;
}

/*
 * The report summary's triggers (migration 019) would look each history
 * row's predecessors up in an index dropped for the fill: they are dropped
 * too, like the indexes, and the summary is computed once at the end
 * (db_report_rebuild_sql).  The fan-out trigger the rebuild goes through
 * stays.
 */
static struct saved_index saved_triggers[16];
static int nsaved_triggers;

static void
report_triggers_drop(void)
{
	sqlite3_stmt *st = prep("SELECT name, sql FROM sqlite_schema WHERE "
	    "type = 'trigger' AND name LIKE 'report%' AND "
	    "name <> 'report_fact_in_add' ORDER BY name");
	char drop[256];

	while (sqlite3_step(st) == SQLITE_ROW && nsaved_triggers < 16) {
		saved_triggers[nsaved_triggers].name =
		    xstrdup((const char *)sqlite3_column_text(st, 0));
		saved_triggers[nsaved_triggers].sql =
		    xstrdup((const char *)sqlite3_column_text(st, 1));
		nsaved_triggers++;
	}
	sqlite3_finalize(st);
	for (int i = 0; i < nsaved_triggers; i++) {
		snprintf(drop, sizeof drop, "DROP TRIGGER \"%s\"",
		    saved_triggers[i].name);
		exec(drop);
	}
}

static void
report_triggers_create(void)
{
	double t0 = now_s();

	for (int i = 0; i < nsaved_triggers; i++) {
		exec(saved_triggers[i].sql);
		free(saved_triggers[i].name);
		free(saved_triggers[i].sql);
	}
	nsaved_triggers = 0;
	exec(db_report_rebuild_sql);
	say("%-22s %10lld    in %6.1f s\n", "report summary",
	    query_int("SELECT count(*) FROM report_facts"), now_s() - t0);
}

/* ---- names -------------------------------------------------------------- */

/*
 * Surnames: stem + ending.  Real Ukrainian surnames are long-tailed (the
 * commonest, Мельник and Шевченко, are each well under 1 %), so a
 * three-letter prefix selects thousands of persons, not a tenth of them.
 * Stems come first-heavy (pick_skewed) and endings by weight.  Stems with
 * І, Є, Ї, Ґ and apostrophes keep case folding and apostrophe variants in
 * play as the demo's stock does.
 */
static const char *const stems[] = {
	"Ковал", "Мельнич", "Шевч", "Бондар", "Ткач", "Кравч", "Гончар",
	"Лис", "Вовч", "Сокол", "Голуб", "Журавл", "Мороз", "Дуб", "Клим",
	"Петр", "Іван", "Павл", "Семен", "Степан", "Тарас", "Остап", "Гриц",
	"Кирил", "Мартин", "Нестер", "Прокоп", "Сидор", "Тимош", "Федор",
	"Юрч", "Яков", "Андрі", "Антон", "Бабі", "Черн", "Руд", "Сав",
	"Зінч", "Гаврил", "Дем'ян", "Лук'ян", "П'ятач", "Мар'ян", "Ємел",
	"Єфим", "Ігнат", "Їжач", "Ґудз", "Олійн", "Пономар", "Дорош",
	"Литвин", "Мирон", "Кузьм", "Радч", "Гумен", "Слобод", "Кушнір",
	"Марч", "Левч", "Хом", "Карп", "Лес", "Бойч", "Ярош", "Захарч",
	"Данил", "Борис", "Гордій", "Рибал", "Пасіч", "Швец", "Бабенч",
	"Костен", "Кучер", "Поліщ", "Савч", "Осадч", "Шаповал", "Прядк",
	"Ступ", "Вакул", "Гнат", "Кононч", "Мацк", "Нагорн", "Онищ",
	"Пилип", "Рябокон", "Сахн", "Тесл", "Уманц", "Фес", "Харч",
	"Цимбал", "Чуприн", "Шкурат", "Щерб", "Юхим", "Яцун", "Білоус",
	"Верес", "Гайов", "Дзюб", "Жук", "Загород", "Кобзар", "Лобод",
	"Мазур", "Ничипор", "Оліфір", "Палій", "Ромас", "Сірч", "Тур",
	"Усик", "Філоненк", "Хвил", "Цап", "Чорнов", "Шуляр", "Явдош",
	"Ілляш", "Євтуш", "Головат", "Довган", "Здор", "Калин",
};
static const struct { const char *m, *f; int weight; } endings[] = {
	{ "енко", "енко", 30 }, { "ук", "ук", 14 }, { "ик", "ик", 10 },
	{ "ак", "ак", 6 }, { "ець", "ець", 5 }, { "ишин", "ишина", 5 },
	{ "ський", "ська", 10 }, { "ів", "ів", 4 }, { "ко", "ко", 6 },
	{ "ейко", "ейко", 3 }, { "ан", "ан", 3 }, { "юк", "юк", 4 },
};
#define NSTEMS   (sizeof stems / sizeof stems[0])
#define NENDINGS (sizeof endings / sizeof endings[0])

/* First entries more often (u^1.3: the first of 130 stems ~2.4 %). */
static int
pick_skewed(int n)
{
	return (int)(n * pow(unit(), 1.3)) % n;
}

struct surname {
	int stem, ending;
};

static struct surname
surname_pick(void)
{
	struct surname s = { pick_skewed((int)NSTEMS), 0 };
	int r = pick(100);

	while ((size_t)s.ending < NENDINGS - 1 && r >= endings[s.ending].weight) {
		r -= endings[s.ending].weight;
		s.ending++;
	}
	return s;
}

static void
surname_write(struct surname s, int sex, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", stems[s.stem], sex == HR_SEX_MALE ?
	    endings[s.ending].m : endings[s.ending].f);
}

/* Place-name stems ending in "ів": "Вербівка", "Вербівська сільська ОТГ". */
static const char *const places[] = {
	"Вербів", "Дубрів", "Калинів", "Липів", "Соснів", "Кленів", "Михайлів",
	"Петрів", "Іванів", "Степанів", "Олександрів", "Миколаїв", "Андріїв",
	"Василів", "Григорів", "Дмитрів", "Федорів", "Ганнів", "Марʼянів",
	"Костянтинів", "Борисів", "Семенів", "Яблунів", "Вишнів", "Грушів",
	"Горіхів", "Черешнів", "Малинів", "Ожинів", "Барвінків", "Яснів",
	"Зеленів", "Гребінків", "Лозів", "Очеретів", "Осичів", "Ясенів",
	"Ліщинів", "Тернів", "Шипшинів", "Ковалів", "Гончарів", "Кравців",
	"Ткачів", "Мельників", "Бондарів", "Пасічнів", "Рибалків", "Кузнеців",
	"Чумаків", "Козаків", "Сотників", "Осавулів", "Хорунжів", "Ярославів",
	"Богданів", "Тарасів", "Остапів", "Юріїв", "Єлизаветів",
};
#define NPLACES (sizeof places / sizeof places[0])

/* The oblasts: the demo has Вінницька and Сумська, the rest are added. */
static const char *const oblasts[] = {
	"Вінницька", "Волинська", "Дніпропетровська", "Донецька", "Житомирська",
	"Закарпатська", "Запорізька", "Івано-Франківська", "Київська",
	"Кіровоградська", "Луганська", "Львівська", "Миколаївська", "Одеська",
	"Полтавська", "Рівненська", "Сумська", "Тернопільська", "Харківська",
	"Херсонська", "Хмельницька", "Черкаська", "Чернівецька", "Чернігівська",
};
#define NOBLASTS (sizeof oblasts / sizeof oblasts[0])

static const char *const streets[] = {
	"вул. Центральна", "вул. Шевченка", "вул. Миру", "вул. Садова",
	"вул. Шкільна", "вул. Молодіжна", "вул. Лесі Українки", "вул. Польова",
	"вул. Зарічна", "вул. Соборна", "вул. Незалежності", "вул. Франка",
	"пров. Вишневий", "вул. Козацька", "вул. Набережна", "вул. Гагаріна",
	"вул. Котляревського", "вул. Лісова", "вул. Весняна", "вул. Покровська",
};
#define NSTREETS (sizeof streets / sizeof streets[0])

/* ---- territories -------------------------------------------------------- */

struct hromada {
	int64_t id, spszn_id, oblast_id;
	int64_t office[OFFICES_MAX];    /* [0] the ЦНАП */
	int64_t clerk[OFFICES_MAX];     /* who creates there (a user id) */
	int     noffices;
	int64_t upo, spszn_user;        /* who moves it on */
	char   *village;                /* "с. Вербівка", for addresses */
	char   *area;                   /* "Вербівський р-н, Сумська обл." */
	double  weight;                 /* share of applications and persons */
	int     use;                    /* enum use_kind */
	int     spszn_off;              /* its back office is not connected */
	int     reg[2];                 /* last registration number per year */
	int32_t *adults;                /* person indexes, age >= 18 */
	int     nadults, cap_adults;
};

struct world {
	struct hr_db   *db;
	struct hromada *h;
	int             nh, big;        /* big: index of Березівська */
	double         *cdf;            /* cumulative weights of h */
	int64_t         admin;          /* fallback signer */
	sqlite3_stmt   *add_user;
	int             nusers;
};

static int64_t
user_id(const char *name)
{
	sqlite3_stmt *st = prep("SELECT id FROM users WHERE name = ?");
	int64_t id = 0;

	bind_text(st, 1, name);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

/* A signer for history rows.  pwhash "!" is no Argon2 string: nobody can
 * log in as it.  Enabled, it makes its office "connected" to monitoring
 * (report.monitor); disabled, not. */
static int64_t
user_add(struct world *w, const char *role, int64_t terr, int disabled)
{
	char name[64], full[160], sn[64];
	const struct demo_given *g = &demo_male[pick((int)demo_nmale)];
	int female = pick(3) != 0;   /* most clerks are women */

	snprintf(name, sizeof name, "gen-%s-%lld", role, (long long)terr);
	surname_write(surname_pick(), female ? HR_SEX_FEMALE : HR_SEX_MALE, sn,
	    sizeof sn);
	snprintf(full, sizeof full, "%s %s %s", sn, female ?
	    demo_female[pick((int)demo_nfemale)] : g->name,
	    female ? demo_male[pick((int)demo_nmale)].patr_f :
	    demo_male[pick((int)demo_nmale)].patr_m);
	bind_text(w->add_user, 1, name);
	bind_text(w->add_user, 2, full);
	bind_text(w->add_user, 3, role);
	sqlite3_bind_int64(w->add_user, 4, terr);
	sqlite3_bind_int(w->add_user, 5, disabled != 0);
	insert(w->add_user, "user");
	w->nusers++;
	return sqlite3_last_insert_rowid(sql);
}

static int64_t
terr_add(struct world *w, int64_t parent, int kind, const char *name)
{
	struct hr_error err;
	int64_t id;

	if (db_territory_add(w->db, parent, kind, name, NULL, &id, &err) < 0)
		die("territory %s: %s", name, err.msg);
	return id;
}

static int64_t
terr_find(int64_t parent, int kind, const char *name)
{
	sqlite3_stmt *st = prep("SELECT id FROM territories WHERE parent_id = ? "
	    "AND kind = ? AND name = ?");
	int64_t id = 0;

	sqlite3_bind_int64(st, 1, parent);
	bind_text(st, 2, hr_terr_kind_name(kind));
	bind_text(st, 3, name);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static struct hromada *
hromada_new(struct world *w)
{
	if (w->nh >= HROMADAS_MAX)
		die("more than %d hromadas", HROMADAS_MAX);
	return memset(&w->h[w->nh++], 0, sizeof w->h[0]);
}

/* Heavy-tailed: most hromadas are villages, a few are towns and cities. */
static double
hromada_weight(void)
{
	double x = pow(unit(), -0.7);

	return x > 40 ? 40 : x;
}

/*
 * The demo's hromadas as they are, with the demo accounts as signers where
 * the demo has them (Березівська: sta, supersta, cnap, upo, spszn).
 */
static const struct {
	const char *office, *clerk;
} demo_clerks[] = {
	{ "ЦНАП Березівської сільської ради", "cnap" },
	{ "Слоутський старостинський округ", "sta" },
	{ "Дунаєцький старостинський округ", "supersta" },
	{ "Білокопитівський старостинський округ", "supersta" },
	{ "Полошківський старостинський округ", "supersta" },
	{ "ЦНАП Шалигинської селищної ради", "supercnap2" },
};

static int64_t
demo_clerk(const char *office)
{
	for (size_t i = 0; i < sizeof demo_clerks / sizeof demo_clerks[0]; i++)
		if (strcmp(demo_clerks[i].office, office) == 0)
			return user_id(demo_clerks[i].clerk);
	return 0;
}

static void
hromada_offices_load(struct world *w, struct hromada *h)
{
	sqlite3_stmt *st = prep("SELECT id, name FROM territories WHERE "
	    "parent_id = ? AND kind IN ('cnap', 'starosta') ORDER BY kind, id");

	sqlite3_bind_int64(st, 1, h->id);
	while (sqlite3_step(st) == SQLITE_ROW && h->noffices < OFFICES_MAX) {
		int k = h->noffices++;
		const char *name = (const char *)sqlite3_column_text(st, 1);

		h->office[k] = sqlite3_column_int64(st, 0);
		h->clerk[k] = demo_clerk(name);
		if (h->clerk[k] == 0)
			h->clerk[k] = k > 0 && h->clerk[0] ? h->clerk[0] :
			    user_add(w, "super_userCnap", h->office[k], 0);
	}
	sqlite3_finalize(st);
	if (h->noffices == 0)
		die("demo hromada %lld has no front office", (long long)h->id);
}

/* A demo hromada's first settlement and its area, from the demo's table. */
static void
demo_place(const char *name, struct hromada *h)
{
	char buf[256];

	for (size_t i = 0; i < demo_nterrs; i++) {
		const struct demo_terr *t = &demo_terrs[i];

		if (t->kind != HR_TERR_HROMADA || strcmp(t->name, name) != 0)
			continue;
		h->area = xstrdup(t->area);
		for (size_t j = i + 1; j < demo_nterrs; j++)
			if (demo_terrs[j].kind == HR_TERR_SETTLEMENT &&
			    strcmp(demo_terrs[j].parent, t->key) == 0) {
				snprintf(buf, sizeof buf, "%s %s",
				    demo_terrs[j].prefix, demo_terrs[j].name);
				h->village = xstrdup(buf);
				return;
			}
	}
	die("demo hromada %s is not in ctl/demo_data.c", name);
}

static void
world_demo(struct world *w)
{
	sqlite3_stmt *st = prep("SELECT h.id, h.name, s.id, s.name, o.id, o.name "
	    "FROM territories h JOIN territories s ON s.id = h.parent_id "
	    "JOIN territories o ON o.id = s.parent_id WHERE h.kind = 'hromada' "
	    "ORDER BY h.id");
	int64_t upo = user_id("upo"), spszn = user_id("spszn"),
	    shal = user_id("supercnap2");

	while (sqlite3_step(st) == SQLITE_ROW) {
		struct hromada *h = hromada_new(w);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *sname = (const char *)sqlite3_column_text(st, 3);

		h->id = sqlite3_column_int64(st, 0);
		h->spszn_id = sqlite3_column_int64(st, 2);
		h->oblast_id = sqlite3_column_int64(st, 4);
		demo_place(name, h);
		h->weight = hromada_weight();
		hromada_offices_load(w, h);
		if (strcmp(name, BIG_HROMADA) == 0) {
			w->big = w->nh - 1;
			h->upo = upo;
		} else if (h->clerk[0] == shal) {
			h->upo = shal;   /* as the demo has it */
		} else
			h->upo = user_add(w, "upo_otg", h->id, 0);
		h->spszn_user = strcmp(sname, BIG_SPSZN) == 0 ? spszn : 0;
	}
	sqlite3_finalize(st);
	if (w->big < 0)
		die("%s is not in the database: run `hromadactl demo` first",
		    BIG_HROMADA);
}

/* A new hromada under back office `spszn` with its front offices. */
static void
world_hromada_add(struct world *w, int64_t spszn, int64_t oblast,
    const char *oblast_name, const char *raion, int use, int spszn_off)
{
	struct hromada *h = hromada_new(w);
	const char *stem = places[pick((int)NPLACES)];
	double wt = hromada_weight();
	const char *kind = wt > 12 ? "міська" : wt > 4 ? "селищна" : "сільська";
	char name[256];
	int nst = pick(7);

	h->spszn_id = spszn;
	h->oblast_id = oblast;
	h->weight = wt;
	h->use = use;
	h->spszn_off = spszn_off;
	snprintf(name, sizeof name, "%sська %s ОТГ", stem, kind);
	h->id = terr_add(w, spszn, HR_TERR_HROMADA, name);
	snprintf(name, sizeof name, "%s %sка", wt > 12 ? "м." : wt > 4 ? "смт" :
	    "с.", stem);
	h->village = xstrdup(name);
	snprintf(name, sizeof name, "%sський р-н, %s обл.", raion, oblast_name);
	h->area = xstrdup(name);
	snprintf(name, sizeof name, "ЦНАП %sської %s ради", stem,
	    wt > 12 ? "міської" : wt > 4 ? "селищної" : "сільської");
	h->office[0] = terr_add(w, h->id, HR_TERR_CNAP, name);
	h->clerk[0] = user_add(w, "super_userCnap", h->office[0],
	    use == USE_NONE);
	for (int k = 1; k <= nst && k < OFFICES_MAX; k++) {
		snprintf(name, sizeof name, "%sський старостинський округ",
		    places[pick((int)NPLACES)]);
		h->office[k] = terr_add(w, h->id, HR_TERR_STAROSTA, name);
		h->clerk[k] = h->clerk[0];
	}
	h->noffices = 1 + (nst < OFFICES_MAX - 1 ? nst : OFFICES_MAX - 1);
	h->upo = user_add(w, "upo_otg", h->id, use == USE_NONE);
}

/* The n-th generated hromada's part (districts: see world_grow). */
static int
hromada_use(int n)
{
	if (n % 13 == 5)
		return USE_NONE;
	return n % 17 == 3 ? USE_IDLE : USE_ACTIVE;
}

static int64_t
oblast_id(struct world *w, int64_t root, const char *name)
{
	char full[128];
	int64_t id;

	snprintf(full, sizeof full, "%s область", name);
	id = terr_find(root, HR_TERR_OBLAST, full);
	return id ? id : terr_add(w, root, HR_TERR_OBLAST, full);
}

/* Up to `total` hromadas: first fill the demo's back office to a real
 * district's size, then new back offices of PER_SPSZN round the oblasts. */
static void
world_grow(struct world *w, int total)
{
	int64_t root = query_int("SELECT id FROM territories WHERE parent_id "
	    "IS NULL"), spszn = 0, oblast = 0;
	struct hromada *big = &w->h[w->big];
	int s = 0, in_s = PER_SPSZN, n = 0;
	char raion[96] = "";

	for (int i = 0; i < w->nh; i++)
		n += w->h[i].spszn_id == big->spszn_id;
	for (; n < BIG_SPSZN_HROMADAS && w->nh < total; n++)
		world_hromada_add(w, big->spszn_id, big->oblast_id, "Сумська",
		    "Глухів", hromada_use(w->nh), 0);
	while (w->nh < total) {
		const char *on = oblasts[s % NOBLASTS];

		if (in_s == PER_SPSZN) {
			char name[160];

			oblast = oblast_id(w, root, on);
			snprintf(raion, sizeof raion, "%s", places[pick((int)NPLACES)]);
			snprintf(name, sizeof name, "УСЗН %sської РДА", raion);
			spszn = terr_add(w, oblast, HR_TERR_SPSZN, name);
			in_s = 0;
			s++;
		}
		/* every 9th district is not connected at all */
		world_hromada_add(w, spszn, oblast, on, raion, s % 9 == 4 ?
		    USE_NONE : hromada_use(w->nh), s % 9 == 4);
		in_s++;
	}
}

/* Back-office signers: the demo's for its district, one per district else. */
static void
world_spszn_users(struct world *w)
{
	for (int i = 0; i < w->nh; i++) {
		struct hromada *h = &w->h[i];

		if (h->spszn_user != 0)
			continue;
		for (int j = 0; j < i && h->spszn_user == 0; j++)
			if (w->h[j].spszn_id == h->spszn_id)
				h->spszn_user = w->h[j].spszn_user;
		if (h->spszn_user == 0)
			h->spszn_user = user_add(w, "spszn", h->spszn_id,
			    h->spszn_off);
	}
}

/* Weights: Березівська gets big_share of everything, the rest by weight. */
static void
world_weights(struct world *w, double big_share)
{
	double sum = 0, acc = 0;

	for (int i = 0; i < w->nh; i++)
		if (i != w->big)
			sum += w->h[i].weight;
	w->cdf = xcalloc((size_t)w->nh, sizeof w->cdf[0]);
	for (int i = 0; i < w->nh; i++) {
		w->h[i].weight = i == w->big ? big_share :
		    (1 - big_share) * w->h[i].weight / sum;
		acc += w->h[i].weight;
		w->cdf[i] = acc;
	}
}

static int
world_pick(const struct world *w)
{
	double u = unit() * w->cdf[w->nh - 1];
	int lo = 0, hi = w->nh - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (w->cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- persons ------------------------------------------------------------ */

/* What the application phase needs to know of every person, by index. */
struct pinfo {
	uint16_t hromada;
	uint8_t  age;
	uint8_t  sex;
	uint8_t  hh_pos, hh_size;     /* place in the household, its size */
};

struct persons {
	int64_t       base_id;        /* id of index 0 */
	struct pinfo *p;
	int32_t       n, cap;
	uint16_t     *rnokpp_next[3]; /* per sex: next serial per birth day */
	uint16_t     *unzr_next;      /* per birth day */
	sqlite3_stmt *ins, *fam;
	int           oblast;         /* persons.reg_oblast_id exists */
	long long     links;
};

/* One person about to be inserted. */
struct pgen {
	int         sex, age, hromada, street, house;
	int32_t     days;
	struct surname sn;
	const struct demo_given *given;     /* men: their name */
	const struct demo_given *father;    /* for the patronymic */
	const char *name;
};

/* A bijection on [0, mod): distinct persons get distinct numbers. */
static uint64_t
permute(uint64_t i, uint64_t mod)
{
	return (i * 2654435761ull + 40503ull) % mod;
}

/* Identity document by age, canonical through proto/ident (the server's
 * normal form); `salt` varies it after a UNIQUE clash. */
static const char *
doc_make(int idx, int age, int salt, char *doc, size_t cap)
{
	static const char *const letters[] = { "А", "Б", "В", "Г", "Д", "Е",
	    "Ж", "З", "И", "К", "Л", "М", "Н", "О", "П", "Р", "С", "Т", "У",
	    "Х" };
	static const char *const roman[] = { "I", "II", "III", "IV", "V" };
	uint64_t x = permute((uint64_t)idx + (uint64_t)salt * 7919u, 400000000u);
	struct hr_error err;
	enum hr_doc_kind kind;
	const char *type;
	char raw[48];

	if (age < 14) {
		kind = HR_DOC_BIRTH_CERT;
		type = "birth_cert";
		snprintf(raw, sizeof raw, "%s-%s%s%06u", roman[idx % 5],
		    letters[x / 1000000 / 20 % 20], letters[x / 1000000 % 20],
		    (unsigned)(x % 1000000));
	} else if (age < 24 || idx % 4 == 0) {
		kind = HR_DOC_ID_CARD;
		type = "id_card";
		snprintf(raw, sizeof raw, "%09llu", (unsigned long long)
		    permute((uint64_t)idx + (uint64_t)salt * 7919u, 1000000000u));
	} else {
		kind = HR_DOC_PASSPORT;
		type = "passport";
		snprintf(raw, sizeof raw, "%s%s%06u", letters[x / 1000000 / 20 % 20],
		    letters[x / 1000000 % 20], (unsigned)(x % 1000000));
	}
	if (hr_docnum_normalize(kind, raw, strlen(raw), doc, cap, &err) < 0)
		die("document %s: %s", raw, err.msg);
	return type;
}

/* Bind the identifiers of person idx, the `salt`-th try. */
static void
person_bind_ids(struct persons *ps, const struct pgen *g, int idx, int salt,
    int refused)
{
	sqlite3_stmt *st = ps->ins;
	char rnokpp[HR_RNOKPP_LEN + 1], unzr[HR_UNZR_LEN + 1],
	    doc[HR_DOCNUM_STR_MAX];
	const char *type = doc_make(idx, g->age, salt, doc, sizeof doc);
	uint16_t *serial = &ps->rnokpp_next[g->sex][g->days];
	struct hr_date b;

	hr_date_from_days(g->days, &b);
	if (*serial > 3999)       /* 4000..4999 are the benchmark's own */
		die("more than 4,000 persons of one sex born on one day");
	if (refused)
		sqlite3_bind_null(st, 2);
	else {
		hr_rnokpp_make(g->days, (*serial)++, (enum hr_sex)g->sex, rnokpp);
		bind_text(st, 2, rnokpp);
	}
	sqlite3_bind_int(st, 3, refused);
	if (strcmp(type, "id_card") == 0) {
		if (hr_unzr_make(&b, ps->unzr_next[g->days]++ % 10000, unzr) < 0)
			die("no УНЗР for day %d", (int)g->days);
		bind_text(st, 9, unzr);
	} else
		sqlite3_bind_null(st, 9);
	bind_text(st, 10, type);
	bind_text(st, 11, doc);
}

static void
person_insert(struct persons *ps, const struct world *w, const struct pgen *g,
    int idx)
{
	static const char *const ops[] = { "50", "66", "67", "68", "95", "96",
	    "97", "98", "63", "73", "93" };
	const struct hromada *h = &w->h[g->hromada];
	sqlite3_stmt *st = ps->ins;
	char surname[64], full[256], folded[256], addr[512], birth[16],
	    phone[HR_PHONE_STR_MAX];
	const char *patr = g->sex == HR_SEX_MALE ? g->father->patr_m :
	    g->father->patr_f;
	int refused = g->age >= 18 && pick(200) == 0;
	struct hr_date b;

	surname_write(g->sn, g->sex, surname, sizeof surname);
	snprintf(full, sizeof full, "%s %s %s", surname, g->name, patr);
	hr_fold_into(full, strlen(full), folded, sizeof folded);
	hr_date_from_days(g->days, &b);
	snprintf(birth, sizeof birth, "%04d-%02d-%02d", b.y, b.m, b.d);
	snprintf(addr, sizeof addr, "%s, %s, %d, %s", h->village,
	    streets[g->street], g->house, h->area);
	snprintf(phone, sizeof phone, "+380%s%07d", ops[pick(11)],
	    pick(10000000));
	sqlite3_bind_int64(st, 1, ps->base_id + idx);
	bind_text(st, 4, surname);
	bind_text(st, 5, g->name);
	bind_text(st, 6, patr);
	bind_text(st, 7, birth);
	bind_text(st, 8, g->sex == HR_SEX_MALE ? "M" : "F");
	bind_text(st, 12, addr);
	bind_opt(st, 13, g->age >= 16 ? phone : NULL);
	bind_text(st, 14, folded);
	if (ps->oblast)
		sqlite3_bind_int64(st, 16, h->oblast_id);
	/* Entered into the base some time before the period starts. */
	sqlite3_bind_int64(st, 15, (int64_t)(ps_today_days - SPAN_DAYS - EPOCH_DAYS) * DAY
	    - pick(3 * 365) * (int64_t)DAY);
	for (int salt = 0; ; salt++) {
		person_bind_ids(ps, g, idx, salt, refused);
		if (step_insert(st, "person") == SQLITE_DONE)
			break;
		/* A demo person holds this РНОКПП, УНЗР or document: the
		 * serials moved on; take the next ones. */
		if (salt == RETRIES)
			die("person %d: %s after %d tries", idx,
			    sqlite3_errmsg(sql), RETRIES);
	}
	tx_tick(1);
}

static void
link_add(struct persons *ps, int a, int b, const char *rel)
{
	sqlite3_bind_int64(ps->fam, 1, ps->base_id + a);
	sqlite3_bind_int64(ps->fam, 2, ps->base_id + b);
	bind_text(ps->fam, 3, rel);
	insert(ps->fam, "family link");
	ps->links++;
	tx_tick(1);
}

static void
member_name(struct pgen *g, int sex, int age, const struct demo_given *father)
{
	g->sex = sex;
	g->age = age;
	g->given = sex == HR_SEX_MALE ? &demo_male[pick((int)demo_nmale)] : NULL;
	g->name = g->given ? g->given->name : demo_female[pick((int)demo_nfemale)];
	g->father = father ? father : &demo_male[pick((int)demo_nmale)];
	g->days = ps_today_days - age * 36525 / 100 - 1 - pick(364);
}

/* Ages of household heads: adults, fewer of the very old. */
static int
head_age(void)
{
	static const unsigned char pct[] = { 12, 20, 20, 18, 16, 10, 4 };
	int band = pick_pct(pct, (int)sizeof pct);

	return 19 + band * 10 + pick(10);
}

static int32_t
person_emit(struct persons *ps, const struct world *w, struct pgen *g,
    int hh_start)
{
	int32_t idx = ps->n;

	if (idx >= ps->cap)
		return -1;
	person_insert(ps, w, g, idx);
	ps->p[idx] = (struct pinfo){ (uint16_t)g->hromada, (uint8_t)g->age,
	    (uint8_t)g->sex, (uint8_t)(idx - hh_start), 1 };
	ps->n++;
	return idx;
}

/* Head, maybe a spouse, maybe children: one address, one surname. */
static void
household(struct persons *ps, const struct world *w)
{
	struct pgen head = { 0 }, g;
	int start = ps->n, par[2] = { -1, -1 }, youngest, nkids;
	const struct demo_given *father;

	head.hromada = world_pick(w);
	head.street = pick((int)NSTREETS);
	head.house = 1 + pick(150);
	head.sn = surname_pick();
	member_name(&head, pick(2) ? HR_SEX_MALE : HR_SEX_FEMALE, head_age(),
	    NULL);
	par[0] = person_emit(ps, w, &head, start);
	youngest = head.age;
	father = head.given;
	if (head.age <= 80 && pick(10) < 6 && ps->n < ps->cap) {
		g = head;
		member_name(&g, head.sex == HR_SEX_MALE ? HR_SEX_FEMALE :
		    HR_SEX_MALE, head.age - 4 + pick(9), NULL);
		if (g.age < 18)
			g.age = 18, g.days = ps_today_days - 18 * 366 - pick(300);
		par[1] = person_emit(ps, w, &g, start);
		link_add(ps, par[0], par[1], "spouse");
		link_add(ps, par[1], par[0], "spouse");
		youngest = g.age < youngest ? g.age : youngest;
		father = father ? father : g.given;
	}
	nkids = youngest >= 20 && youngest <= 50 ? pick(4) : 0;
	for (int k = 0; k < nkids && ps->n < ps->cap; k++) {
		int max_age = youngest - 18 < 17 ? youngest - 18 : 17;
		int c;

		g = head;
		member_name(&g, pick(2) ? HR_SEX_MALE : HR_SEX_FEMALE,
		    pick(max_age + 1), father);
		c = person_emit(ps, w, &g, start);
		for (int j = 0; j < 2; j++)
			if (par[j] >= 0) {
				link_add(ps, par[j], c, "child");
				link_add(ps, c, par[j], "parent");
			}
	}
	for (int i = start; i < ps->n; i++)
		ps->p[i].hh_size = (uint8_t)(ps->n - start);
}

static void
persons_generate(struct persons *ps, struct world *w, int32_t want)
{
	double t0 = now_s();
	int64_t have = query_int("SELECT count(*) FROM persons");

	ps->base_id = query_int("SELECT coalesce(max(id), 0) FROM persons") + 1;
	ps->cap = want > have ? (int32_t)(want - have) : 0;
	ps->p = xcalloc((size_t)ps->cap, sizeof ps->p[0]);
	for (int s = 0; s < 3; s++)
		ps->rnokpp_next[s] = xcalloc(100000, sizeof(uint16_t));
	ps->unzr_next = xcalloc(100000, sizeof(uint16_t));
	/* Since migration 015 a person carries the oblast their address
	 * names (the name search within an oblast reads it). */
	ps->oblast = have_table("person_oblasts");
	ps->ins = prep(ps->oblast ? "INSERT INTO persons (id, rnokpp, "
	    "rnokpp_refused, surname, name, patronymic, birth_date, sex, unzr, "
	    "doc_type, doc_number, reg_address, phone, search_name, "
	    "created_at, reg_oblast_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)" :
	    "INSERT INTO persons (id, rnokpp, rnokpp_refused, "
	    "surname, name, patronymic, birth_date, sex, unzr, doc_type, "
	    "doc_number, reg_address, phone, search_name, created_at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
	ps->fam = prep("INSERT INTO family_members (person_id, member_id, "
	    "relation) VALUES (?, ?, ?)");
	/* Bounded: every household adds at least its head. */
	while (ps->n < ps->cap)
		household(ps, w);
	sqlite3_finalize(ps->ins);
	sqlite3_finalize(ps->fam);
	say_rate("persons", ps->n, t0);
	say("%-22s %10lld rows\n", "  family links", ps->links);
}

/* Every hromada's adults, for drawing applicants (counting sort). */
static void
persons_index(struct persons *ps, struct world *w)
{
	for (int32_t i = 0; i < ps->n; i++)
		if (ps->p[i].age >= 18)
			w->h[ps->p[i].hromada].cap_adults++;
	for (int i = 0; i < w->nh; i++)
		w->h[i].adults = xcalloc((size_t)w->h[i].cap_adults,
		    sizeof(int32_t));
	for (int32_t i = 0; i < ps->n; i++) {
		struct hromada *h = &w->h[ps->p[i].hromada];

		if (ps->p[i].age >= 18)
			h->adults[h->nadults++] = i;
	}
}

/* ---- applications ------------------------------------------------------- */

/* Services by how often they are asked for; the rest weigh 1. */
static const struct { const char *code; int weight; int family; } svc_weights[] = {
	{ "subsidy", 30, 1 },      { "low_income", 12, 1 },
	{ "idp_living", 10, 1 },   { "birth", 6, 1 },
	{ "single_parent", 5, 1 }, { "care_80", 5, 0 },
	{ "benefit_cash", 5, 0 },  { "subsidy_fuel", 5, 1 },
	{ "one_time", 4, 0 },      { "burial", 3, 0 },
	{ "disability_child", 3, 1 },
};

struct service {
	char *code;
	int   weight, family;
	int   days[HR_STAGE__COUNT];   /* deadlines per stage, working days */
	char *docs[16];              /* required document codes */
	int   ndocs;
};

struct services {
	struct service s[64];
	int            n, total;
};

static void
services_load(struct services *sv)
{
	sqlite3_stmt *st = prep("SELECT code, days_front, days_otg, days_spszn "
	    "FROM services ORDER BY code");
	sqlite3_stmt *dq = prep("SELECT doc_code FROM service_documents WHERE "
	    "service_code = ? ORDER BY ordinal");

	while (sqlite3_step(st) == SQLITE_ROW && sv->n < 64) {
		struct service *s = &sv->s[sv->n++];

		s->code = xstrdup((const char *)sqlite3_column_text(st, 0));
		for (int k = 0; k < HR_STAGE__COUNT; k++)
			s->days[k] = sqlite3_column_int(st, 1 + k);
		s->weight = 1;
		for (size_t i = 0; i < sizeof svc_weights / sizeof svc_weights[0]; i++)
			if (strcmp(svc_weights[i].code, s->code) == 0) {
				s->weight = svc_weights[i].weight;
				s->family = svc_weights[i].family;
			}
		sv->total += s->weight;
		sqlite3_bind_text(dq, 1, s->code, -1, SQLITE_STATIC);
		while (sqlite3_step(dq) == SQLITE_ROW && s->ndocs < 16)
			s->docs[s->ndocs++] = xstrdup((const char *)
			    sqlite3_column_text(dq, 0));
		sqlite3_reset(dq);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(dq);
	if (sv->n == 0)
		die("no services: run `hromadactl init` first");
}

static void
services_free(struct services *sv)
{
	for (int i = 0; i < sv->n; i++) {
		free(sv->s[i].code);
		for (int k = 0; k < sv->s[i].ndocs; k++)
			free(sv->s[i].docs[k]);
	}
	sv->n = 0;
}

static const struct service *
service_pick(const struct services *sv)
{
	int r = pick(sv->total);

	for (int i = 0; i < sv->n; i++) {
		if (r < sv->s[i].weight)
			return &sv->s[i];
		r -= sv->s[i].weight;
	}
	return &sv->s[sv->n - 1];
}

/* Final status by age: percentages per status (enum hr_status order). */
static const struct {
	int           max_days;        /* applications younger than this */
	unsigned char pct[HR_ST__COUNT];
} status_by_age[] = {
	/*               draft at_otg ret_f at_sp ret_o check expo answ */
	{ 14,         { 12,   25,    5,    28,   5,    15,   8,   2 } },
	{ 45,         { 6,    5,     2,    10,   2,    10,   15,  50 } },
	{ SPAN_DAYS + 1, { 2, 1,     1,    2,    1,    2,    3,   88 } },
};

static const char *const notes[] = {
	"Заявник просить повідомити про рішення телефоном",
	"Документи подано через представника за довіреністю",
	"Довідку про доходи донесе до кінця місяця",
	"Родина переселенців, проживає у родичів",
};

struct apps {
	sqlite3_stmt *app, *hist, *member, *income, *doc, *clock;
	int           intake;          /* migration 003's tables exist */
	struct hr_workcal cal;         /* the working days the clocks count */
	struct demo_answers answers;   /* the answered ones' decisions */
	long long     n, history, members, incomes, docs, clocks, late;
	int           per_status[HR_ST__COUNT];
};

/* The clock of the stage an application is in while its history is
 * written (db/deadlines.c's clock_begin / clock_stop, without SQL reads). */
struct run_clock {
	int             stage;         /* HR_STAGE_NONE: none runs */
	int64_t         office, started_at;
	struct hr_clock k;
};

/* The local day of unix time t — UTC here (END_DAY is a UTC day). */
static int32_t
day_of(int64_t t)
{
	return (int32_t)(t / DAY + EPOCH_DAYS);
}

/* A clock's row: stopped at `at` (on `day`, `late` working days late),
 * or running when `at` is 0. */
static void
clock_insert(struct apps *a, int64_t id, const struct run_clock *c,
    int64_t at, int32_t day, int32_t late)
{
	sqlite3_bind_int64(a->clock, 1, id);
	bind_text(a->clock, 2, hr_stage_name(c->stage));
	sqlite3_bind_int64(a->clock, 3, c->office);
	sqlite3_bind_int64(a->clock, 4, c->started_at);
	sqlite3_bind_int(a->clock, 5, c->k.start);
	sqlite3_bind_int(a->clock, 6, c->k.days);
	sqlite3_bind_int(a->clock, 7, c->k.due);
	if (at == 0) {
		for (int i = 8; i <= 10; i++)
			sqlite3_bind_null(a->clock, i);
	} else {
		sqlite3_bind_int64(a->clock, 8, at);
		sqlite3_bind_int(a->clock, 9, day);
		sqlite3_bind_int(a->clock, 10, late);
	}
	insert(a->clock, "clock");
	a->clocks++;
	a->late += late > 0;
	tx_tick(1);
}

/* The case moved to `to` at `at`: stop the running clock if the stage
 * changes (late by hr_clock_late), start the new stage's. */
static void
clock_move(struct apps *a, int64_t id, const struct hromada *h, int office,
    const struct service *svc, int to, int64_t at, struct run_clock *c)
{
	int ts = hr_status_stage(to);
	int32_t day = day_of(at);

	if (ts == c->stage)
		return;
	if (c->stage != HR_STAGE_NONE)
		clock_insert(a, id, c, at, day, hr_clock_late(&a->cal, day,
		    c->k.due));
	c->stage = ts;
	if (ts == HR_STAGE_NONE)
		return;
	c->office = ts == HR_STAGE_FRONT ? h->office[office] :
	    ts == HR_STAGE_OTG ? h->id : h->spszn_id;
	c->started_at = at;
	hr_clock_start(&a->cal, day, svc->days[ts], &c->k);
}

/* The clock still running at the end, as db/deadlines.c leaves it. */
static void
clock_running(struct apps *a, int64_t id, const struct run_clock *c)
{
	if (c->stage != HR_STAGE_NONE)
		clock_insert(a, id, c, 0, 0, 0);
}

/* A valid Ukrainian IBAN: UA, check digits, bank code, 19-digit account. */
static void
iban_make(char out[HR_IBAN_STR_MAX])
{
	static const char *const banks[] = { "305299", "322001", "300465",
	    "320649", "325321" };
	char bban[32];

	snprintf(bban, sizeof bban, "%s%010llu%09llu", banks[pick(5)],
	    (unsigned long long)(rnd() % 10000000000ull),
	    (unsigned long long)(rnd() % 1000000000ull));
	(void)hr_iban_make(bban, out);            /* 25 digits: cannot fail */
}

/* "YYYY-MM-DD" of unix time t (UTC: END_DAY is a UTC day too). */
static void
iso_day(int64_t t, char out[16])
{
	struct hr_date d;

	hr_date_from_days((int32_t)(t / DAY + EPOCH_DAYS), &d);
	snprintf(out, 16, "%04d-%02d-%02d", d.y, d.m, d.d);
}

static int
year_of(int64_t t)
{
	struct hr_date d;

	hr_date_from_days((int32_t)(t / DAY + EPOCH_DAYS), &d);
	return d.y;
}

/* The household of person i apart from i: (index, relation to i). */
static int
family_of(const struct persons *ps, int32_t i, int32_t *out, const char **rel,
    int max)
{
	const struct pinfo *me = &ps->p[i];
	int32_t start = i - me->hh_pos, n = 0;

	for (int k = 0; k < me->hh_size && n < max; k++) {
		int32_t j = start + k;

		if (j == i)
			continue;
		out[n] = j;
		/* Heads sit at 0, a spouse (an adult) at 1, children after. */
		rel[n++] = ps->p[j].age < 18 ? "child" : me->age < 18 ?
		    "parent" : "spouse";
	}
	return n;
}

static void
app_details(struct apps *a, const struct persons *ps, int64_t id,
    int32_t applicant, const struct service *svc, int full, int64_t at)
{
	static const char *const other_docs[] = { "family_comp", "income_cert",
	    "utility_bills" };
	int32_t fam[8];
	const char *rel[8];
	int nf = svc->family ? family_of(ps, applicant, fam, rel, 8) : 0;
	char from[16], to[16];
	int ord = 0, ndocs = 0;

	iso_day(at - 190 * (int64_t)DAY, from);
	iso_day(at - 10 * (int64_t)DAY, to);
	for (int k = 0; k < nf; k++) {
		sqlite3_bind_int64(a->member, 1, id);
		sqlite3_bind_int(a->member, 2, k + 1);
		sqlite3_bind_int64(a->member, 3, ps->base_id + fam[k]);
		bind_text(a->member, 4, rel[k]);
		insert(a->member, "application member");
		a->members++;
	}
	/* Income: the adults' earnings or pensions over the last 6 months. */
	for (int m = 0; svc->family && m <= nf; m++) {
		int32_t who = m == 0 ? applicant : fam[m - 1];
		int age = ps->p[who].age;

		if (age < 18 || ord >= 6)
			continue;
		sqlite3_bind_int64(a->income, 1, id);
		sqlite3_bind_int(a->income, 2, ++ord);
		sqlite3_bind_int(a->income, 3, m);
		bind_text(a->income, 4, age >= 60 ? "pension" : pick(5) ?
		    "salary" : "benefit");
		bind_text(a->income, 5, from);
		bind_text(a->income, 6, to);
		sqlite3_bind_int64(a->income, 7, 300000 + (int64_t)pick(2500000));
		insert(a->income, "income row");
		a->incomes++;
	}
	/* Documents: all required if the package is full, else one missing. */
	for (int k = 0; k < svc->ndocs; k++) {
		if (!full && k == svc->ndocs - 1)
			continue;
		sqlite3_bind_int64(a->doc, 1, id);
		bind_text(a->doc, 2, svc->docs[k]);
		insert(a->doc, "document");
		ndocs++;
	}
	if (pick(4) == 0) {
		const char *x = other_docs[pick(3)];
		int dup = 0;

		for (int k = 0; k < svc->ndocs; k++)
			dup |= strcmp(svc->docs[k], x) == 0;
		if (!dup) {
			sqlite3_bind_int64(a->doc, 1, id);
			bind_text(a->doc, 2, x);
			insert(a->doc, "document");
			ndocs++;
		}
	}
	a->docs += ndocs;
	tx_tick(nf + ord + ndocs);
}

/* An answered application's decision, stored with the others at the end
 * (answers_store). */
static void
answer_note(struct apps *a, int64_t id, int64_t who, int64_t at)
{
	struct hr_error err;

	if (demo_answer_decided(&a->answers, id, who, at, &err) < 0)
		die("decision: %s", err.msg);
}

/* The history of the way to `status`, with its clocks; returns the time of
 * the last step. */
static int64_t
app_history(struct apps *a, const struct hromada *h, int office,
    const struct service *svc, int64_t id, int status, int64_t at,
    int64_t end, int *steps, struct run_clock *clock)
{
	int64_t clerk = h->clerk[office];
	int from = HR_ST_DRAFT;

	clock->stage = HR_STAGE_NONE;
	clock_move(a, id, h, office, svc, HR_ST_DRAFT, at, clock);

	*steps = 0;
	sqlite3_bind_int64(a->hist, 1, id);
	sqlite3_bind_int64(a->hist, 2, at);
	sqlite3_bind_int64(a->hist, 3, clerk);
	sqlite3_bind_null(a->hist, 4);
	bind_text(a->hist, 5, hr_status_name(HR_ST_DRAFT));
	sqlite3_bind_null(a->hist, 6);
	insert(a->hist, "history");
	for (const int *act = demo_paths[status]; *act >= 0; act++) {
		int64_t who = *act == HR_ACT_SEND_OTG ? clerk :
		    (*act == HR_ACT_SEND_SPSZN || *act == HR_ACT_RETURN_FRONT) ?
		    h->upo : h->spszn_user;
		int to = hr_workflow_find(from, *act, hr_role_from_name(
		    *act == HR_ACT_SEND_OTG ? "super_userCnap" :
		    who == h->upo ? "upo_otg" : "spszn"))->to;
		int64_t next = at + 600 + pick(3 * DAY);

		at = next < end ? next : end;
		sqlite3_bind_int64(a->hist, 1, id);
		sqlite3_bind_int64(a->hist, 2, at);
		sqlite3_bind_int64(a->hist, 3, who);
		bind_text(a->hist, 4, hr_status_name(from));
		bind_text(a->hist, 5, hr_status_name(to));
		bind_opt(a->hist, 6, demo_reasons[*act]);
		insert(a->hist, "history");
		clock_move(a, id, h, office, svc, to, at, clock);
		if (*act == HR_ACT_ANSWER)
			answer_note(a, id, who, at);
		from = to;
		++*steps;
	}
	a->history += *steps + 1;
	tx_tick(*steps + 1);
	return at;
}

static int
status_pick(int64_t at, int64_t end)
{
	int64_t age = (end - at) / DAY;
	size_t i = 0;

	while (i + 1 < sizeof status_by_age / sizeof status_by_age[0] &&
	    age >= status_by_age[i].max_days)
		i++;
	return pick_pct(status_by_age[i].pct, HR_ST__COUNT);
}

/* Columns of applications as of migration 003 (?15.. only with it). */
static const char app_sql[] =
	"INSERT INTO applications (id, reg_no, reg_year, hromada_id, "
	"front_office_id, spszn_id, oblast_id, service_code, applicant_id, "
	"status, package_full, version, created_by, created_at, updated_at%s) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	"?15%s)";

/* A connected hromada for an application at `at`: the idle ones had
 * their last ones IDLE_DAYS before the end. */
static int
app_hromada(const struct world *w, int64_t at, int64_t end)
{
	for (int tries = 0; tries < 64; tries++) {
		int hi = world_pick(w);
		const struct hromada *h = &w->h[hi];

		if (h->use == USE_NONE || (h->use == USE_IDLE &&
		    at > end - (int64_t)IDLE_DAYS * DAY))
			continue;
		return hi;
	}
	return w->big;
}

/* The k-th of `count` applications' time: month_weight's curve, so ids
 * still follow time. */
static int64_t
growth_time(int64_t start, int64_t end, int64_t k, int64_t count)
{
	const int months = sizeof month_weight / sizeof month_weight[0];
	double    total = 0, acc = 0, u;

	for (int i = 0; i < months; i++)
		total += month_weight[i];
	u = count ? (double)k / (double)count * total : 0;
	for (int i = 0; i < months; i++) {
		if (u < acc + month_weight[i] || i == months - 1)
			return start + (int64_t)(((double)i + (u - acc) /
			    month_weight[i]) * (double)(end - start) / months);
		acc += month_weight[i];
	}
	return end;
}

static void
app_one(struct apps *a, struct world *w, const struct persons *ps,
    const struct services *sv, int64_t id, int64_t at, int64_t end)
{
	int hi = app_hromada(w, at, end);
	struct hromada *h = &w->h[hi];
	int o = h->noffices == 1 || pick(2) ? 0 : 1 + pick(h->noffices - 1);
	const struct service *svc = service_pick(sv);
	int status = status_pick(at, end), full = pick(10) < 7, steps;
	int year = year_of(at);
	int32_t applicant;
	int64_t last;
	char reg[32], iban[HR_IBAN_STR_MAX];
	sqlite3_stmt *st = a->app;
	struct run_clock clock;

	if (h->nadults == 0)
		h = &w->h[hi = w->big];   /* nobody lives in a tiny one */
	applicant = h->adults[pick(h->nadults)];
	last = app_history(a, h, o, svc, id, status, at, end, &steps, &clock);
	snprintf(reg, sizeof reg, "%05d/%04d", ++h->reg[year > 2025], year);
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, reg);
	sqlite3_bind_int(st, 3, year);
	sqlite3_bind_int64(st, 4, h->id);
	sqlite3_bind_int64(st, 5, h->office[o]);
	sqlite3_bind_int64(st, 6, h->spszn_id);
	sqlite3_bind_int64(st, 7, h->oblast_id);
	bind_text(st, 8, svc->code);
	sqlite3_bind_int64(st, 9, ps->base_id + applicant);
	bind_text(st, 10, hr_status_name(status));
	sqlite3_bind_int(st, 11, full);
	sqlite3_bind_int(st, 12, 1 + steps);
	sqlite3_bind_int64(st, 13, h->clerk[o]);
	sqlite3_bind_int64(st, 14, at);
	sqlite3_bind_int64(st, 15, last);
	if (a->intake) {
		int bank = pick(5) != 0;

		iban_make(iban);
		bind_text(st, 16, bank ? "bank" : "post");
		bind_opt(st, 17, bank ? iban : NULL);
		if (bank)
			sqlite3_bind_null(st, 18);
		else {
			char po[64];

			snprintf(po, sizeof po, "Укрпошта, відділення № %d",
			    1 + pick(60));
			bind_text(st, 18, po);
		}
		sqlite3_bind_null(st, 19);   /* the applicant's own phone */
		bind_opt(st, 20, pick(10) == 0 ? notes[pick(4)] : NULL);
		bind_opt(st, 21, status == HR_ST_RETURNED_FRONT ?
		    demo_reasons[HR_ACT_RETURN_FRONT] : status == HR_ST_RETURNED_OTG ?
		    demo_reasons[HR_ACT_RETURN_OTG] : NULL);
		/* the running clock, as the journal filters and sorts by it */
		if (clock.stage == HR_STAGE_NONE) {
			for (int i = 22; i <= 25; i++)
				sqlite3_bind_null(st, i);
		} else {
			sqlite3_bind_int(st, 22, clock.k.start);
			sqlite3_bind_int(st, 23, clock.k.days);
			sqlite3_bind_int(st, 24, clock.k.due);
			sqlite3_bind_int(st, 25, clock.k.warn);
		}
	}
	insert(st, "application");
	clock_running(a, id, &clock);
	a->n++;
	a->per_status[status]++;
	tx_tick(1);
	if (a->intake)
		app_details(a, ps, id, applicant, svc, full, at);
}

/*
 * created_at never decreases with id (db/applications.c keeps it so, and the
 * journal turns a date range into an id range on it).  The demo's
 * applications are newer than most of the year generated after them, so
 * they move, with their history, their clocks and their decisions' import
 * times, to end at least a day before that year starts (their
 * registration numbers keep the demo's year).  The move is whole weeks, so that a clock's working days stay
 * working days (a holiday of the calendar aside).
 */
static void
shift_existing(int64_t start)
{
	int64_t max = query_int("SELECT coalesce(max(created_at), 0) FROM "
	    "applications"), week = 7 * (int64_t)DAY;
	int64_t shift = (max - start + DAY + week - 1) / week * week;
	long long d = (long long)(shift / DAY), t = (long long)shift;
	char text[512];

	if (max < start)
		return;
	snprintf(text, sizeof text, "UPDATE applications SET created_at = "
	    "created_at - %lld, updated_at = updated_at - %lld, stage_start = "
	    "stage_start - %lld, stage_due = stage_due - %lld, stage_warn = "
	    "stage_warn - %lld", t, t, d, d, d);
	exec(text);
	snprintf(text, sizeof text, "UPDATE application_history SET at = at - %lld",
	    t);
	exec(text);
	snprintf(text, sizeof text, "UPDATE decisions SET imported_at = "
	    "imported_at - %lld", t);
	exec(text);
	snprintf(text, sizeof text, "UPDATE application_clocks SET started_at = "
	    "started_at - %lld, stopped_at = stopped_at - %lld, start_day = "
	    "start_day - %lld, due_day = due_day - %lld, stop_day = stop_day - "
	    "%lld", t, t, d, d, d);
	exec(text);
}

/* The decisions noted, in their answer files (ctl/demo_answer.h). */
static void
answers_store(struct apps *a, struct world *w)
{
	int64_t files = query_int("SELECT count(*) FROM dat_files");
	struct hr_error err;
	double t0 = now_s();

	if (demo_answers_store(&a->answers, w->db, &err) < 0)
		die("answer files: %s", err.msg);
	say_rate("decisions", (long long)a->answers.n, t0);
	say("%-22s %10lld files\n", "  answer files",
	    (long long)(query_int("SELECT count(*) FROM dat_files") - files));
	tx_tick((long)a->answers.n);
	demo_answers_free(&a->answers);
}

static void
apps_generate(struct apps *a, struct world *w, const struct persons *ps,
    int64_t count)
{
	int64_t end = (int64_t)(ps_today_days - EPOCH_DAYS) * DAY + DAY / 2;
	int64_t start = end - (int64_t)SPAN_DAYS * DAY;
	int64_t base = query_int("SELECT coalesce(max(id), 0) FROM applications") + 1;
	struct services sv;
	struct hr_error err;
	char sql_text[1024];
	double t0 = now_s();

	memset(&sv, 0, sizeof sv);
	shift_existing(start);
	services_load(&sv);
	/* Since migration 014 an application carries its own copy of its
	 * persons; a trigger copies the applicant, the family is copied here. */
	a->intake = have_table("application_persons");
	if (!a->intake || !have_table("application_clocks"))
		die("the database lacks migrations 014 and 022: open it with "
		    "this build's hromadactl first");
	snprintf(sql_text, sizeof sql_text, app_sql, ", pay_method, iban, "
	    "post_office, phone, notes, last_reason, stage_start, stage_days, "
	    "stage_due, stage_warn", ", ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
	    "?23, ?24, ?25");
	if (db_calendar_load(w->db, &a->cal, &err) < 0)
		die("calendar: %s", err.msg);
	a->clock = prep("INSERT INTO application_clocks (application_id, "
	    "stage, office_id, started_at, start_day, days, due_day, "
	    "stopped_at, stop_day, late_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?)");
	a->app = prep(sql_text);
	a->hist = prep("INSERT INTO application_history (application_id, at, "
	    "user_id, from_status, to_status, comment) VALUES (?, ?, ?, ?, ?, ?)");
	if (a->intake) {
		a->member = prep("INSERT INTO application_persons "
		    "(application_id, ordinal, person_id, relation, base_version, "
		    "rnokpp, rnokpp_refused, surname, name, patronymic, "
		    "birth_date, sex, unzr, doc_type, doc_number, reg_address, "
		    "act_address, phone) SELECT ?1, ?2, id, ?4, version, rnokpp, "
		    "rnokpp_refused, surname, name, patronymic, birth_date, sex, "
		    "unzr, doc_type, doc_number, reg_address, act_address, phone "
		    "FROM persons WHERE id = ?3");
		a->income = prep("INSERT INTO application_income (application_id, "
		    "ordinal, member, type, period_from, period_to, amount) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?)");
		a->doc = prep("INSERT INTO application_documents (application_id, "
		    "doc_code) VALUES (?, ?)");
	}
	/* Over the year in id order, as a live system numbers them. */
	for (int64_t k = 0; k < count; k++)
		app_one(a, w, ps, &sv, base + k, growth_time(start, end, k,
		    count), end);
	sqlite3_finalize(a->app);
	sqlite3_finalize(a->hist);
	sqlite3_finalize(a->member);
	sqlite3_finalize(a->income);
	sqlite3_finalize(a->doc);
	sqlite3_finalize(a->clock);
	hr_workcal_free(&a->cal);
	services_free(&sv);
	say_rate("applications", a->n, t0);
	say("%-22s %10lld rows\n", "  history", a->history);
	say("%-22s %10lld rows\n", "  members", a->members);
	say("%-22s %10lld rows\n", "  income", a->incomes);
	say("%-22s %10lld rows\n", "  documents", a->docs);
	say("%-22s %10lld rows, %lld closed late\n", "  clocks", a->clocks,
	    a->late);
	answers_store(a, w);
}

/* Start each hromada's counters after the numbers the database holds. */
static void
counters_load(struct world *w)
{
	sqlite3_stmt *st;

	if (!have_table("journal_counters"))
		return;
	st = prep("SELECT year, last FROM journal_counters WHERE hromada_id = ? "
	    "AND year IN (2025, 2026)");
	for (int i = 0; i < w->nh; i++) {
		sqlite3_bind_int64(st, 1, w->h[i].id);
		while (sqlite3_step(st) == SQLITE_ROW)
			w->h[i].reg[sqlite3_column_int(st, 0) == 2026] =
			    sqlite3_column_int(st, 1);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

/* ... and leave them where the server continues (db/regno.c). */
static void
counters_save(const struct world *w)
{
	sqlite3_stmt *st;

	if (!have_table("journal_counters"))
		return;
	st = prep("INSERT INTO journal_counters (hromada_id, year, last) VALUES "
	    "(?, ?, ?) ON CONFLICT (hromada_id, year) DO UPDATE SET last = "
	    "max(last, excluded.last)");
	for (int i = 0; i < w->nh; i++)
		for (int y = 0; y < 2; y++) {
			if (w->h[i].reg[y] == 0)
				continue;
			sqlite3_bind_int64(st, 1, w->h[i].id);
			sqlite3_bind_int(st, 2, 2025 + y);
			sqlite3_bind_int(st, 3, w->h[i].reg[y]);
			insert(st, "journal counter");
		}
	sqlite3_finalize(st);
}

static void
world_free(struct world *w)
{
	for (int i = 0; i < w->nh; i++) {
		free(w->h[i].village);
		free(w->h[i].area);
		free(w->h[i].adults);
	}
	free(w->h);
	free(w->cdf);
}

static void
persons_free(struct persons *ps)
{
	free(ps->p);
	for (int s = 0; s < 3; s++)
		free(ps->rnokpp_next[s]);
	free(ps->unzr_next);
}

/* ---- main --------------------------------------------------------------- */

static void
usage(void)
{
	fprintf(stderr, "usage: gen_big --db FILE [--persons N] [--apps M] "
	    "[--big-apps K] [--hromadas H] [--seed S] [--check] [--quiet]\n"
	    "FILE must hold `hromadactl init` + `hromadactl demo`.\n");
	exit(2);
}

static long long
num_arg(const char *s, long long min, long long max)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "gen_big: %s: want a number %lld..%lld\n", s, min,
		    max);
		usage();
	}
	return v;
}

static void
report_scopes(const struct world *w)
{
	const struct hromada *b = &w->h[w->big];
	sqlite3_stmt *st = prep("SELECT (SELECT count(*) FROM applications "
	    "WHERE hromada_id = ?1), (SELECT count(*) FROM applications WHERE "
	    "spszn_id = ?2), (SELECT max(c) FROM (SELECT count(*) c FROM "
	    "applications GROUP BY front_office_id)), (SELECT count(*) FROM "
	    "territories WHERE kind = 'hromada')");

	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_int64(st, 2, b->spszn_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		say("scopes: %s %lld, its back office %lld, largest front "
		    "office %lld; %lld hromadas\n", BIG_HROMADA,
		    (long long)sqlite3_column_int64(st, 0),
		    (long long)sqlite3_column_int64(st, 1),
		    (long long)sqlite3_column_int64(st, 2),
		    (long long)sqlite3_column_int64(st, 3));
	sqlite3_finalize(st);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "persons", required_argument, NULL, 'p' },
		{ "apps", required_argument, NULL, 'a' },
		{ "big-apps", required_argument, NULL, 'b' },
		{ "hromadas", required_argument, NULL, 'H' },
		{ "seed", required_argument, NULL, 's' },
		{ "check", no_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	long long npersons = DEFAULT_PERSONS, napps = DEFAULT_APPS,
	    nbig = DEFAULT_BIG_APPS, nh = DEFAULT_HROMADAS;
	uint64_t seed = DEFAULT_SEED;
	int check = 0, c;
	struct hr_date end;
	struct hr_error err;
	struct world w;
	struct persons ps;
	struct apps a;
	double t0 = now_s();

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		switch (c) {
		case 'd': path = optarg; break;
		case 'p': npersons = num_arg(optarg, 0, 50000000); break;
		case 'a': napps = num_arg(optarg, 0, 20000000); break;
		case 'b': nbig = num_arg(optarg, 0, 20000000); break;
		case 'H': nh = num_arg(optarg, 1, HROMADAS_MAX); break;
		case 's': seed = (uint64_t)num_arg(optarg, 0, INT64_MAX); break;
		case 'c': check = 1; break;
		case 'q': quiet = 1; break;
		default: usage();
		}
	if (path == NULL || optind != argc)
		usage();
	if (nbig > napps)
		nbig = napps;
	rng_state = seed;
	hr_date_parse(END_DAY, strlen(END_DAY), NULL, &end, NULL);
	ps_today_days = hr_date_to_days(&end);

	/* db_open applies the migrations the demo file may lack. */
	memset(&w, 0, sizeof w);
	if (db_open(&w.db, path, 0, &err) < 0)
		die("%s: %s", path, err.msg);
	sql = w.db->sql;
	exec("PRAGMA journal_mode=DELETE");
	exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
	    "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-1048576; "
	    "PRAGMA temp_store=MEMORY");

	exec("BEGIN");
	w.h = xcalloc(HROMADAS_MAX, sizeof w.h[0]);
	w.big = -1;
	w.add_user = prep("INSERT INTO users (name, full_name, role, "
	    "territory_id, pwhash, disabled, created_at, updated_at) VALUES "
	    "(?, ?, ?, ?, '!', ?, 0, 0)");
	world_demo(&w);
	world_grow(&w, (int)nh);
	world_spszn_users(&w);
	sqlite3_finalize(w.add_user);
	world_weights(&w, napps ? (double)nbig / (double)napps : 0.0);
	counters_load(&w);
	say("territories: %d hromadas, %d signer accounts\n", w.nh, w.nusers);


	indexes_drop();
	report_triggers_drop();
	memset(&ps, 0, sizeof ps);
	persons_generate(&ps, &w, (int32_t)npersons);
	persons_index(&ps, &w);
	memset(&a, 0, sizeof a);
	apps_generate(&a, &w, &ps, napps);
	counters_save(&w);
	indexes_create();
	report_triggers_create();
	exec("COMMIT");
	for (int s = 0; s < HR_ST__COUNT; s++)
		say("  %-15s %9d\n", hr_status_name(s), a.per_status[s]);

	c = (int)(now_s() - t0);
	t0 = now_s();
	exec("ANALYZE");
	say("%-22s %10s    in %6.1f s\n", "ANALYZE", "", now_s() - t0);
	if (check) {
		t0 = now_s();
		if (query_int("SELECT count(*) FROM pragma_foreign_key_check") != 0)
			die("foreign_key_check found dangling references");
		/* answered exactly when a decision came (033's premise) */
		if (query_int("SELECT count(*) FROM applications a WHERE "
		    "(a.status = 'answered') <> EXISTS (SELECT 1 FROM decisions "
		    "d WHERE d.application_id = a.id)") != 0)
			die("an answered application without its decision, or "
			    "a decision of an application not answered");
		say("%-22s %10s    in %6.1f s\n", "foreign_key_check", "ok",
		    now_s() - t0);
	}
	exec("PRAGMA journal_mode=WAL");
	report_scopes(&w);
	say("total %d s of filling\n", c);
	db_close(w.db);
	persons_free(&ps);
	world_free(&w);
	return 0;
}
