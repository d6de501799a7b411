/*
 * demo_data.c — the demo data set's tables (see demo.h).
 *
 * КАТОТТГ codes follow the classifier's shape (UA, oblast 2 digits, raion
 * 2, hromada 3, settlement 3, 2 + 5 more); the oblast codes are the real
 * ones, the rest are made up to look right.  Starosta districts and ЦНАПs
 * are not in the classifier and have no code, except the district the
 * hromadactl(8) example uses.
 *
 * The file is data: its tables (accounts, names, the take-up months) are
 * rows of one shape each, and two tables of accounts (those who log in,
 * demo_users, and those who only sign history, demo_signers) look alike
 * line by line because each row is an account.  That likeness is the
 * point of a table, not code written twice.
 */
#include "ctl/demo.h"
#include "proto/roles.h"
#include "proto/workflow.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

const struct demo_terr demo_terrs[] = {
	{ "ua", NULL, HR_TERR_COUNTRY, "Україна", NULL, NULL, NULL },

	/* Вінницька область */
	{ "vin", "ua", HR_TERR_OBLAST, "Вінницька область",
	  "UA05000000000010236", NULL, NULL },
	{ "vin-rda", "vin", HR_TERR_SPSZN, "УСЗН Вінницької РДА",
	  "UA05020000000026686", NULL, NULL },
	{ "agro", "vin-rda", HR_TERR_HROMADA, "Агрономічна сільська ОТГ",
	  "UA05020010000053641", "Вінницький р-н, Вінницька обл.", NULL },
	{ "agro-cnap", "agro", HR_TERR_CNAP, "ЦНАП Агрономічної сільської ради",
	  NULL, NULL, NULL },
	{ "agro-s1", "agro", HR_TERR_SETTLEMENT, "Агрономічне",
	  "UA05020010010027113", NULL, "с." },
	{ "agro-s2", "agro", HR_TERR_SETTLEMENT, "Дорожне",
	  "UA05020010020093745", NULL, "с." },
	{ "yak", "vin-rda", HR_TERR_HROMADA, "Якушинецька сільська ОТГ",
	  "UA05020030000031782", "Вінницький р-н, Вінницька обл.", NULL },
	{ "yak-cnap", "yak", HR_TERR_CNAP, "ЦНАП Якушинецької сільської ради",
	  NULL, NULL, NULL },
	{ "yak-st1", "yak", HR_TERR_STAROSTA,
	  "Лука-Мелешківський старостинський округ", "UA05020030010063857",
	  NULL, NULL },
	{ "yak-s1", "yak", HR_TERR_SETTLEMENT, "Якушинці",
	  "UA05020030020045218", NULL, "с." },
	{ "yak-s2", "yak-st1", HR_TERR_SETTLEMENT, "Лука-Мелешківська",
	  "UA05020030030072964", NULL, "с." },
	{ "zhm-rda", "vin", HR_TERR_SPSZN, "УСЗН Жмеринської РДА",
	  "UA05040000000070218", NULL, NULL },
	{ "stan", "zhm-rda", HR_TERR_HROMADA, "Станіславчицька сільська ОТГ",
	  "UA05040050000081394", "Жмеринський р-н, Вінницька обл.", NULL },
	{ "stan-cnap", "stan", HR_TERR_CNAP,
	  "ЦНАП Станіславчицької сільської ради", NULL, NULL, NULL },
	{ "stan-s1", "stan", HR_TERR_SETTLEMENT, "Станіславчик",
	  "UA05040050010016725", NULL, "с." },
	{ "brail", "zhm-rda", HR_TERR_HROMADA, "Браїлівська селищна ОТГ",
	  "UA05040010000018267", "Жмеринський р-н, Вінницька обл.", NULL },
	{ "brail-cnap", "brail", HR_TERR_CNAP,
	  "ЦНАП Браїлівської селищної ради", NULL, NULL, NULL },
	{ "brail-s1", "brail", HR_TERR_SETTLEMENT, "Браїлів",
	  "UA05040010010047823", NULL, "смт" },

	/* Сумська область: Березівська ОТГ of the seeds (Глухівський р-н) */
	{ "sum", "ua", HR_TERR_OBLAST, "Сумська область",
	  "UA59000000000057109", NULL, NULL },
	{ "hlu-rda", "sum", HR_TERR_SPSZN, "УСЗН Глухівської РДА",
	  "UA59020000000014358", NULL, NULL },
	{ "berez", "hlu-rda", HR_TERR_HROMADA, "Березівська сільська ОТГ",
	  "UA59020010000037592", "Глухівський р-н, Сумська обл.", NULL },
	{ "berez-cnap", "berez", HR_TERR_CNAP, "ЦНАП Березівської сільської ради",
	  NULL, NULL, NULL },
	{ "berez-st1", "berez", HR_TERR_STAROSTA,
	  "Слоутський старостинський округ", NULL, NULL, NULL },
	{ "berez-st2", "berez", HR_TERR_STAROSTA,
	  "Дунаєцький старостинський округ", NULL, NULL, NULL },
	{ "berez-st3", "berez", HR_TERR_STAROSTA,
	  "Білокопитівський старостинський округ", NULL, NULL, NULL },
	{ "berez-st4", "berez", HR_TERR_STAROSTA,
	  "Полошківський старостинський округ", NULL, NULL, NULL },
	{ "berez-s0", "berez", HR_TERR_SETTLEMENT, "Береза",
	  "UA59020010010042871", NULL, "с." },
	{ "berez-s1", "berez-st1", HR_TERR_SETTLEMENT, "Слоут",
	  "UA59020010020069154", NULL, "с." },
	{ "berez-s2", "berez-st1", HR_TERR_SETTLEMENT, "Щебри",
	  "UA59020010030025476", NULL, "с." },
	{ "berez-s3", "berez-st2", HR_TERR_SETTLEMENT, "Дунаєць",
	  "UA59020010040087319", NULL, "с." },
	{ "berez-s4", "berez-st2", HR_TERR_SETTLEMENT, "Мацкове",
	  "UA59020010050013685", NULL, "с." },
	{ "berez-s5", "berez-st3", HR_TERR_SETTLEMENT, "Білокопитове",
	  "UA59020010060058243", NULL, "с." },
	{ "berez-s6", "berez-st4", HR_TERR_SETTLEMENT, "Полошки",
	  "UA59020010070034917", NULL, "с." },
	{ "berez-s7", "berez-st4", HR_TERR_SETTLEMENT, "Дубовичі",
	  "UA59020010080076502", NULL, "с." },
	{ "shal", "hlu-rda", HR_TERR_HROMADA, "Шалигинська селищна ОТГ",
	  "UA59020050000062914", "Глухівський р-н, Сумська обл.", NULL },
	{ "shal-cnap", "shal", HR_TERR_CNAP, "ЦНАП Шалигинської селищної ради",
	  NULL, NULL, NULL },
	{ "shal-st1", "shal", HR_TERR_STAROSTA,
	  "Ходинський старостинський округ", NULL, NULL, NULL },
	{ "shal-s1", "shal", HR_TERR_SETTLEMENT, "Шалигине",
	  "UA59020050010051379", NULL, "смт" },
	{ "shal-s2", "shal-st1", HR_TERR_SETTLEMENT, "Ходине",
	  "UA59020050020084165", NULL, "с." },
	{ "sum-rda", "sum", HR_TERR_SPSZN, "УСЗН Сумської РДА",
	  "UA59080000000093127", NULL, NULL },
	{ "khot", "sum-rda", HR_TERR_HROMADA, "Хотінська селищна ОТГ",
	  "UA59080310000028735", "Сумський р-н, Сумська обл.", NULL },
	{ "khot-cnap", "khot", HR_TERR_CNAP, "ЦНАП Хотінської селищної ради",
	  NULL, NULL, NULL },
	{ "khot-s1", "khot", HR_TERR_SETTLEMENT, "Хотінь",
	  "UA59080310010064381", NULL, "смт" },
	{ "khot-s2", "khot", HR_TERR_SETTLEMENT, "Кіндратівка",
	  "UA59080310020037952", NULL, "с." },
};
const size_t demo_nterrs = N(demo_terrs);

/* One account of every role, most of them in Березівська ОТГ. */
const struct demo_user demo_users[] = {
	{ "sta",       "userSta",        "berez-st1",  "Ковальчук Людмила Іванівна" },
	{ "cnap",      "userCnap",       "berez-cnap", "Мельник Оксана Петрівна" },
	{ "supersta",  "super_userSta",  "berez-st2",  "Бондаренко Василь Миколайович" },
	{ "supercnap", "super_userCnap", "berez-cnap", "Ткаченко Ірина Олегівна" },
	{ "upo",       "upo_otg",        "berez",      "Артеменко Надія Михайлівна" },
	{ "spszn",     "spszn",          "hlu-rda",    "Гончаренко Світлана Юріївна" },
	{ "oblast",    "oblast",         "sum",        "Лисенко Андрій Вікторович" },
	{ "ministry",  "ministry",       "ua",         "Савчук Тетяна Романівна" },
	{ "admin",     "admin",          "ua",         "Руденко Олег Степанович" },
	/* A clerk of the sibling hromada: "foreign" for Березівська's users. */
	{ "supercnap2", "super_userCnap", "shal-cnap", "Зінченко Галина Федорівна" },
};
const size_t demo_nusers = N(demo_users);

const struct demo_given demo_male[] = {
	{ "Олександр", "Олександрович", "Олександрівна" },
	{ "Іван",      "Іванович",      "Іванівна" },
	{ "Петро",     "Петрович",      "Петрівна" },
	{ "Микола",    "Миколайович",   "Миколаївна" },
	{ "Василь",    "Васильович",    "Василівна" },
	{ "Андрій",    "Андрійович",    "Андріївна" },
	{ "Сергій",    "Сергійович",    "Сергіївна" },
	{ "Дмитро",    "Дмитрович",     "Дмитрівна" },
	{ "Володимир", "Володимирович", "Володимирівна" },
	{ "Юрій",      "Юрійович",      "Юріївна" },
	{ "Богдан",    "Богданович",    "Богданівна" },
	{ "Тарас",     "Тарасович",     "Тарасівна" },
	{ "Олег",      "Олегович",      "Олегівна" },
	{ "Віктор",    "Вікторович",    "Вікторівна" },
	{ "Степан",    "Степанович",    "Степанівна" },
	{ "Михайло",   "Михайлович",    "Михайлівна" },
	{ "Григорій",  "Григорович",    "Григорівна" },
	{ "Ярослав",   "Ярославович",   "Ярославівна" },
	{ "Євген",     "Євгенович",     "Євгенівна" },
	{ "Роман",     "Романович",     "Романівна" },
	{ "Анатолій",  "Анатолійович",  "Анатоліївна" },
	{ "Федір",     "Федорович",     "Федорівна" },
	{ "Павло",     "Павлович",      "Павлівна" },
	{ "Ігор",      "Ігорович",      "Ігорівна" },
	{ "Леонід",    "Леонідович",    "Леонідівна" },
	{ "Максим",    "Максимович",    "Максимівна" },
	{ "Юхим",      "Юхимович",      "Юхимівна" },
	{ "Ілля",      "Ілліч",         "Іллівна" },
};
const size_t demo_nmale = N(demo_male);

const char *const demo_female[] = {
	"Олена", "Наталія", "Тетяна", "Оксана", "Ірина", "Світлана",
	"Людмила", "Надія", "Галина", "Марія", "Ганна", "Катерина", "Юлія",
	"Валентина", "Ольга", "Лариса", "Вікторія", "Софія", "Дарина",
	"Анастасія", "Євгенія", "Зоя", "Іванна", "Христина", "Ярослава",
	"Ніна", "Любов", "Раїса",
};
const size_t demo_nfemale = N(demo_female);

/* Male and female forms; many Ukrainian surnames have one form for both.
 * Some start with І, Є, Ї, Ґ or carry an apostrophe on purpose: those are
 * where case folding and apostrophe look-alikes matter. */
const struct demo_surname demo_surnames[] = {
	{ "Шевченко", "Шевченко" },     { "Ковальчук", "Ковальчук" },
	{ "Бондаренко", "Бондаренко" }, { "Ковальський", "Ковальська" },
	{ "Мельник", "Мельник" },       { "Білоус", "Білоус" },
	{ "Савчук", "Савчук" },         { "Зінченко", "Зінченко" },
	{ "Лисенко", "Лисенко" },       { "Кравець", "Кравець" },
	{ "Ткаченко", "Ткаченко" },     { "Олійник", "Олійник" },
	{ "Гончаренко", "Гончаренко" }, { "Руденко", "Руденко" },
	{ "Петренко", "Петренко" },     { "Марченко", "Марченко" },
	{ "Поліщук", "Поліщук" },       { "Левченко", "Левченко" },
	{ "Ярошенко", "Ярошенко" },     { "Клименко", "Клименко" },
	{ "Кузьменко", "Кузьменко" },   { "Гаврилюк", "Гаврилюк" },
	{ "Павлюк", "Павлюк" },         { "Остапчук", "Остапчук" },
	{ "Грищенко", "Грищенко" },     { "Ковтун", "Ковтун" },
	{ "Прокопенко", "Прокопенко" }, { "Вишневський", "Вишневська" },
	{ "Литвиненко", "Литвиненко" }, { "Мороз", "Мороз" },
	{ "Артеменко", "Артеменко" },   { "Кириленко", "Кириленко" },
	{ "Волошин", "Волошина" },      { "Сидоренко", "Сидоренко" },
	{ "Коваль", "Коваль" },         { "Пономаренко", "Пономаренко" },
	{ "Дорошенко", "Дорошенко" },   { "Білик", "Білик" },
	{ "Тимошенко", "Тимошенко" },   { "Мазур", "Мазур" },
	{ "Гуменюк", "Гуменюк" },       { "Антонюк", "Антонюк" },
	{ "Слободянюк", "Слободянюк" }, { "Бойко", "Бойко" },
	{ "Кравченко", "Кравченко" },   { "Нечипоренко", "Нечипоренко" },
	{ "Степаненко", "Степаненко" }, { "Яковенко", "Яковенко" },
	{ "Захарченко", "Захарченко" }, { "Іваненко", "Іваненко" },
	{ "Ігнатенко", "Ігнатенко" },   { "Єрмоленко", "Єрмоленко" },
	{ "Єфименко", "Єфименко" },     { "Їжакевич", "Їжакевич" },
	{ "Ґудзь", "Ґудзь" },           { "Дем'яненко", "Дем'яненко" },
	{ "Лук'яненко", "Лук'яненко" }, { "П'ятак", "П'ятак" },
	{ "Городецький", "Городецька" }, { "Жмуд", "Жмуд" },
	{ "Панченко", "Панченко" },     { "Юрченко", "Юрченко" },
	{ "Чорновол", "Чорновол" },     { "Щербак", "Щербак" },
};
const size_t demo_nsurnames = N(demo_surnames);

const char *const demo_streets[] = {
	"вул. Центральна", "вул. Шевченка", "вул. Миру", "вул. Садова",
	"вул. Шкільна", "вул. Молодіжна", "вул. Лесі Українки", "вул. Польова",
	"вул. Зарічна", "вул. Соборна", "вул. Незалежності", "вул. Франка",
	"пров. Вишневий", "вул. Козацька",
};
const size_t demo_nstreets = N(demo_streets);

/* The actions leading from draft to each status (DOMAIN.md transitions). */
const int demo_paths[HR_ST__COUNT][6] = {
	[HR_ST_DRAFT]          = { -1 },
	[HR_ST_AT_OTG]         = { HR_ACT_SEND_OTG, -1 },
	[HR_ST_RETURNED_FRONT] = { HR_ACT_SEND_OTG, HR_ACT_RETURN_FRONT, -1 },
	[HR_ST_AT_SPSZN]       = { HR_ACT_SEND_OTG, HR_ACT_SEND_SPSZN, -1 },
	[HR_ST_RETURNED_OTG]   = { HR_ACT_SEND_OTG, HR_ACT_SEND_SPSZN,
	                           HR_ACT_RETURN_OTG, -1 },
	[HR_ST_CHECKED]        = { HR_ACT_SEND_OTG, HR_ACT_SEND_SPSZN,
	                           HR_ACT_CHECK, -1 },
	[HR_ST_EXPORTED]       = { HR_ACT_SEND_OTG, HR_ACT_SEND_SPSZN,
	                           HR_ACT_CHECK, HR_ACT_EXPORT, -1 },
	[HR_ST_ANSWERED]       = { HR_ACT_SEND_OTG, HR_ACT_SEND_SPSZN,
	                           HR_ACT_CHECK, HR_ACT_EXPORT, HR_ACT_ANSWER, -1 },
};

/* Returns carry the reason the next person reads. */
const char *const demo_reasons[HR_ACT__COUNT] = {
	[HR_ACT_RETURN_FRONT] = "Не додано довідку про доходи: додайте скан "
	                        "і надішліть повторно",
	[HR_ACT_RETURN_OTG]   = "Скан паспорта нечитабельний, потрібна "
	                        "повторна копія",
};

/* ---- months of take-up before Березівська (cmd_demo.c demo_takeup) ---- */

const struct demo_user demo_signers[] = {
	{ "agro-cnap", "super_userCnap", "agro-cnap", "Савченко Олена Петрівна" },
	{ "agro-upo",  "upo_otg",        "agro",      "Кравчук Галина Іванівна" },
	{ "yak-cnap",  "super_userCnap", "yak-cnap",  "Левченко Марія Степанівна" },
	{ "yak-upo",   "upo_otg",        "yak",       "Поліщук Наталія Василівна" },
	{ "vin-spszn", "spszn",          "vin-rda",   "Мороз Тетяна Олександрівна" },
	{ "stan-cnap", "super_userCnap", "stan-cnap", "Шевчук Лідія Миколаївна" },
	{ "stan-upo",  "upo_otg",        "stan",      "Бойко Віра Петрівна" },
	{ "zhm-spszn", "spszn",          "zhm-rda",   "Ткачук Ганна Дмитрівна" },
};
const size_t demo_nsigners = N(demo_signers);

/* Applications per month, April to September, of each hromada. */
const struct demo_takeup demo_takeups[] = {
	{ "agro-cnap", "agro-cnap", "agro-upo", "vin-spszn", { 1, 1, 2, 3, 4, 6 } },
	{ "yak-cnap",  "yak-cnap",  "yak-upo",  "vin-spszn", { 0, 1, 1, 2, 2, 3 } },
	{ "stan-cnap", "stan-cnap", "stan-upo", "zhm-spszn", { 1, 2, 1, 0, 0, 0 } },
};
const size_t demo_ntakeups = N(demo_takeups);

/* The reason a refusal of the take-up months gives. */
const char demo_refusal[] = "Сукупний дохід перевищує межу";
