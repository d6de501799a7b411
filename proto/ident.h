/*
 * ident.h — Ukrainian identifiers, dates and amounts: checks and normal forms.
 *
 * Shared by client and server (proto/ uses only libc).  The client calls these
 * to tell a clerk at once what is wrong with a field; the server calls the
 * same code again because it never trusts the client.  DOMAIN.md
 * "Identifiers and their checks" is the specification.
 *
 * Conventions, the same for every function here:
 *  - Input is (s, len): bytes, not necessarily NUL-terminated (msgpack strings
 *    are not).  Nothing is read past s[len - 1].
 *  - Checks return 0, or -1 with err set to HR_E_INVALID and an English
 *    message that names the field and the problem ("РНОКПП: check digit is
 *    wrong").  err may be NULL.
 *  - Normalising functions write a NUL-terminated canonical form into
 *    out[0..cap).  The *_STR_MAX constants are capacities that always
 *    suffice; a smaller buffer fails with HR_E_INTERNAL (a programming
 *    error, not the clerk's) and out holds no partial result.
 *  - The canonical form is what the database stores and compares.
 */
#ifndef HR_IDENT_H
#define HR_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"

enum hr_sex {
	HR_SEX_UNKNOWN = 0,   /* "do not check" where a sex is an input */
	HR_SEX_MALE    = 1,
	HR_SEX_FEMALE  = 2,
};

/* ---- dates (proto/date.c) ------------------------------------------------ */

/* A calendar date in the proleptic Gregorian calendar, years 1..9999. */
struct hr_date {
	int y, m, d;
};

#define HR_DATE_STR_MAX 11    /* "DD.MM.YYYY" + NUL */

/* Is (y, m, d) a real day?  1 or 0; 29.02 only in leap years. */
int     hr_date_valid(int y, int m, int d);

/*
 * Parse "DD.MM.YYYY" (day and month may have one digit: "1.2.2000") or
 * "YYYY-MM-DD".  Surrounding blanks are ignored.  `field` names the field in
 * the message ("birth date"); NULL means "date".
 */
int     hr_date_parse(const char *s, size_t len, const char *field,
            struct hr_date *out, struct hr_error *err);

/* Days since 31.12.1899 (so 01.01.1900 = 1, 01.01.2000 = 36525): the
 * РНОКПП day count.  Dates before 1900 give zero or negative numbers;
 * a date that is not valid gives INT32_MIN. */
int32_t hr_date_to_days(const struct hr_date *d);

/* Inverse of hr_date_to_days; -1 if the result falls outside years 1..9999. */
int     hr_date_from_days(int32_t days, struct hr_date *out);

/* Same day?  -1, 0, 1 like strcmp. */
int     hr_date_cmp(const struct hr_date *a, const struct hr_date *b);

/* "DD.MM.YYYY"; -1 if the date is not valid or cap < HR_DATE_STR_MAX. */
int     hr_date_format(const struct hr_date *d, char *out, size_t cap);

/* The local time hour:min of the day `days` after d (0: d itself), in
 * seconds since the epoch (mktime: the C library settles summer time). */
int64_t hr_date_local(const struct hr_date *d, int days, int hour, int min);

/* ---- РНОКПП, the 10-digit tax number (proto/rnokpp.c) -------------------- */

#define HR_RNOKPP_LEN 10

struct hr_rnokpp_info {
	int32_t        days;    /* digits 1-5: days since 31.12.1899 */
	struct hr_date birth;   /* the same as a date */
	enum hr_sex    sex;     /* digit 9: odd male, even female */
};

/* Exactly 10 digits with a correct check digit.  info may be NULL. */
int hr_rnokpp_check(const char *s, size_t len, struct hr_rnokpp_info *info,
        struct hr_error *err);

/*
 * hr_rnokpp_check, then compare with what the person's documents say.  Each
 * mismatch has its own message (check digit / birth date / sex) so the clerk
 * knows which field to look at.  birth NULL or sex HR_SEX_UNKNOWN skip that
 * comparison.
 */
int hr_rnokpp_match(const char *s, size_t len, const struct hr_date *birth,
        enum hr_sex sex, struct hr_error *err);

/*
 * Synthesise a valid number (test persons, load generators): days 0..99999
 * since 31.12.1899, serial 0..4999 (its last three digits become digits 6-8,
 * serial / 1000 picks digit 9 among the five of the sex's parity), sex male
 * or female.  Writes 10 digits and a NUL.  -1 on an argument out of range.
 */
int hr_rnokpp_make(int32_t days, int serial, enum hr_sex sex,
        char out[static HR_RNOKPP_LEN + 1]);

/* ---- УНЗР, the demographic register record number (proto/unzr.c) --------- */

#define HR_UNZR_LEN 14        /* YYYYMMDD-NNNNC */

/* Form, real date and 7-3-1 check digit.  birth (may be NULL) gets the date. */
int hr_unzr_check(const char *s, size_t len, struct hr_date *birth,
        struct hr_error *err);

/* hr_unzr_check, then the date must equal birth (NULL: no comparison). */
int hr_unzr_match(const char *s, size_t len, const struct hr_date *birth,
        struct hr_error *err);

/*
 * Synthesise a valid number (test persons, load generators): `birth` (a
 * real date of years 1..9999), serial 0..9999.  Writes HR_UNZR_LEN
 * characters and a NUL.  -1 on an argument out of range.
 */
int hr_unzr_make(const struct hr_date *birth, int serial,
        char out[static HR_UNZR_LEN + 1]);

/* ---- identity documents (proto/docnum.c) --------------------------------- */

enum hr_doc_kind {
	HR_DOC_UNKNOWN    = 0,
	HR_DOC_PASSPORT   = 1,   /* booklet: "МК123456" */
	HR_DOC_ID_CARD    = 2,   /* "123456789" */
	HR_DOC_BIRTH_CERT = 3,   /* "I-АБ123456", Roman numeral I..XXXIX */
};

/* Big enough for every kind: "XXXVIII-АБ123456" + NUL. */
#define HR_DOCNUM_STR_MAX 24

/*
 * Check a document number of the given kind and write its canonical form:
 * blanks and "№" dropped; series letters upper-case Cyrillic (Latin
 * look-alikes A B C E H I K M O P T X and lower case accepted); the Roman
 * numeral of a birth certificate in Latin I V X (Cyrillic І and Х accepted).
 */
int hr_docnum_normalize(enum hr_doc_kind kind, const char *s, size_t len,
        char *out, size_t cap, struct hr_error *err);

/* Which kind the input looks like (HR_DOC_UNKNOWN if none), for a free-form
 * field; a guess, so still call hr_docnum_normalize with it. */
enum hr_doc_kind hr_docnum_guess(const char *s, size_t len);

/* ---- IBAN (proto/iban.c) -------------------------------------------------- */

#define HR_IBAN_LEN 29
#define HR_IBAN_STR_MAX (HR_IBAN_LEN + 1)

/*
 * Ukrainian IBAN: "UA" + 2 check digits + 6-digit bank code + 19 letters or
 * digits, ISO 13616 mod 97 = 1.  Spaces are dropped and Latin letters
 * upper-cased; any other character (a Cyrillic look-alike, say) is an error.
 */
int hr_iban_normalize(const char *s, size_t len, char *out, size_t cap,
        struct hr_error *err);

/*
 * Synthesise a valid IBAN (test data, load generators): "UA", the check
 * digits and `bban`, the 25 characters after them (the 6-digit bank code
 * and the account: digits and upper-case Latin letters).  Writes
 * HR_IBAN_LEN characters and a NUL.  -1 on a bban of another length or
 * other characters.
 */
int hr_iban_make(const char *bban, char out[static HR_IBAN_STR_MAX]);

/* ---- КАТОТТГ territorial code (proto/katottg.c) --------------------------- */

#define HR_KATOTTG_LEN 19     /* "UA" + 17 digits */

/* Form only: the hierarchy lives in the classifier table. */
int hr_katottg_check(const char *s, size_t len, struct hr_error *err);

/* ---- phone numbers (proto/phone.c) ---------------------------------------- */

#define HR_PHONE_LEN 13       /* "+380XXXXXXXXX" */
#define HR_PHONE_STR_MAX (HR_PHONE_LEN + 1)

/*
 * Ukrainian number to "+380XXXXXXXXX".  Accepts "0671234567",
 * "380671234567", "80671234567", "+38 (067) 123-45-67": blanks, hyphens,
 * dots and parentheses are dropped, "+" only in front.
 */
int hr_phone_normalize(const char *s, size_t len, char *out, size_t cap,
        struct hr_error *err);

/* ---- money (proto/amount.c) ----------------------------------------------- */

/* "-92 233 720 368 547 758,08" + NUL */
#define HR_AMOUNT_STR_MAX 32

/*
 * UAH to kopecks, exactly (no floating point): "1234", "1234.56",
 * "1 234,56", "0,5".  Digit groups may be separated by a space (also
 * no-break spaces), then every group after the first has three digits.
 * Rejects negative amounts, more than 2 decimals ("1.234" is not read as a
 * thousand) and values beyond int64.  `field` names the field; NULL: "amount".
 */
int hr_amount_parse(const char *s, size_t len, const char *field,
        int64_t *kopecks, struct hr_error *err);

/* "1 234,56" (ASCII space between groups, comma before kopecks; "-" for
 * negative).  -1 if cap is too small (HR_AMOUNT_STR_MAX always suffices). */
int hr_amount_format(int64_t kopecks, char *out, size_t cap);

#endif
