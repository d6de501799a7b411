/*
 * fmt.h — how Ukrainian official documents write dates, money, names,
 * numbers in words and identity documents (FORMS.md §6), in one place so
 * every form writes them the same way.
 *
 * Dates: "05.03.2024" in fields and tables, "05 березня 2024 року" in
 * text.  Money: "1 234,56 грн" (a no-break space between thousands, a
 * decimal comma), in words "одна тисяча двісті тридцять чотири гривні 56 копійок".
 * Names: "Прізвище Ім'я По батькові" in full, "Прізвище І. П." in tables.
 *
 * Every function writes a NUL-terminated string into out[0..cap) (cut if
 * it does not fit) and returns out; input it cannot read gives "".
 */
#ifndef HR_PAPER_FMT_H
#define HR_PAPER_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "paper/data.h"

/* "YYYY-MM-DD" -> "DD.MM.YYYY". */
const char *paper_date_short(const char *iso, char *out, size_t cap);
/* "YYYY-MM-DD" -> "05 березня 2024 року". */
const char *paper_date_long(const char *iso, char *out, size_t cap);
/* "YYYY-MM-DD" plus `months` (the day clamped to the month's last) ->
 * "YYYY-MM-DD". */
const char *paper_date_add_months(const char *iso, int months, char *out,
    size_t cap);

/* "1 234,56": no-break spaces between the groups, so a sum is never
 * broken across lines or table cells. */
#define PAPER_AMOUNT_MAX 48
const char *paper_amount(int64_t kopecks, char *out, size_t cap);
/* "1 234,56 грн" (no-break spaces as above, and before "грн"). */
const char *paper_money(int64_t kopecks, char *out, size_t cap);
/* "одна тисяча двісті тридцять чотири гривні 56 копійок". */
const char *paper_money_words(int64_t kopecks, char *out, size_t cap);

enum paper_gender { PAPER_MASC, PAPER_FEM, PAPER_NEUT };
/* 0 <= n < 10^12 in words: "сорок сім"; `g` for the forms of 1 and 2. */
const char *paper_number_words(int64_t n, enum paper_gender g, char *out,
    size_t cap);
/* The noun form after n: one (1, 21...), few (2-4, 22-24...), many. */
const char *paper_plural(int64_t n, const char *one, const char *few,
    const char *many);

/* "Іваненко Ганна Петрівна" / "Іваненко Г. П.". */
const char *paper_full_name(const struct paper_person *p, char *out,
    size_t cap);
const char *paper_short_name(const struct paper_person *p, char *out,
    size_t cap);

/* "паспорт громадянина України серія МК № 123456", "... у формі ID-картки
 * № 123456789", "свідоцтво про народження серія I-АБ № 123456". */
const char *paper_id_document(const struct paper_person *p, char *out,
    size_t cap);
/* Series and number only: "МК 123456", "123456789", "I-АБ 123456". */
const char *paper_doc_number(const struct paper_person *p, char *out,
    size_t cap);

/* What a family member is to the applicant, by sex: "дружина", "син". */
const char *paper_relation(const struct paper_person *p);
/* "заробітна плата", "пенсія", ... */
const char *paper_income_type(const char *type);

#endif
