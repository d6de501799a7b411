/*
 * dat_priv.h — what the *.DAT parser (dat.c) and writer (dat_write.c)
 * share: the record layouts and the text codec (dat_text.c).  Not a
 * contract; only proto/dat*.c include it.
 */
#ifndef HR_DAT_PRIV_H
#define HR_DAT_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "proto/dat.h"

#define DAT_MAGIC   "HROMADA-DAT"
#define DAT_REFUSED "REFUSED"      /* the rnokpp field of a person who refused it */

/* Fields of each line kind, in order (man/hromada-dat.5). */
enum { H_MAGIC, H_VERSION, H_KIND, H_CHARSET, H_SYSTEM, H_NUMBER, H_OFFICE,
       H_CREATED, H_COUNT, H__N };
enum { A_TAG, A_ID, A_REG_NO, A_SERVICE, A_PAY_METHOD, A_IBAN,
       A_POST_OFFICE, A_PHONE, A__N };
enum { P_TAG, P_MEMBER, P_RELATION, P_SURNAME, P_NAME, P_PATRONYMIC,
       P_BIRTH_DATE, P_SEX, P_RNOKPP, P_DOC_TYPE, P_DOC_NUMBER, P_UNZR,
       P_REG_ADDRESS, P_ACT_ADDRESS, P__N };
enum { I_TAG, I_MEMBER, I_TYPE, I_PERIOD_FROM, I_PERIOD_TO, I_AMOUNT, I__N };
enum { S_TAG, S_DOC, S_TYPE, S_SIZE, S_HASH, S__N };
enum { D_TAG, D_ID, D_REG_NO, D_DECISION, D_AMOUNT, D_PERIOD_FROM,
       D_PERIOD_TO, D_REASON, D__N };
enum { E_TAG, E_COUNT, E_CRC, E__N };

#define DAT_FIELDS_MAX P__N

extern const char *const dat_header_fields[H__N];
extern const char *const dat_app_fields[A__N];
extern const char *const dat_person_fields[P__N];
extern const char *const dat_income_fields[I__N];
extern const char *const dat_scan_fields[S__N];
extern const char *const dat_answer_fields[D__N];
extern const char *const dat_end_fields[E__N];

extern const char *const dat_kind_names[];      /* by enum hr_dat_kind */
extern const char *const dat_charset_names[];   /* by enum hr_dat_charset */

/*
 * Decode one raw field s[0..n) (escapes, then the charset) into out, which
 * has room for 3 * n + 1 bytes; NUL-terminates and sets *outlen.  Fails
 * with a message without the line/field prefix (the caller adds it).
 */
int dat_field_decode(const char *s, size_t n, enum hr_dat_charset cs,
    char *out, size_t *outlen, struct hr_error *err);

/*
 * Append the UTF-8 string s escaped and encoded in `cs` to out.  -1 when a
 * character has no form in `cs` (err says which) or out is full.
 */
int dat_field_encode(struct hr_buf *out, const char *s,
    enum hr_dat_charset cs, struct hr_error *err);

/* hr_dat_parse, also telling the line where it stopped. */
int dat_parse(const void *data, size_t len, struct hr_dat *out,
    unsigned *bad_line, struct hr_error *err);

/* Text checks shared by parser and writer. */
int dat_is_token(const char *s, size_t n, size_t max);   /* [a-z0-9_]{1,max} */

#endif
